using System.Globalization;
using Skillscope.Assessment.Reasoning;

namespace Skillscope.Server.Hosting;

/// <summary>
/// Reads the <c>Reasoning</c> configuration section (settings file, <c>Reasoning__*</c> environment
/// variables, command line — any provider) into <see cref="ReasoningOptions"/>. The key may be given
/// directly (<c>Reasoning:ApiKey</c>) or as a file to read (<c>Reasoning:ApiKeyFile</c>, e.g. a mounted secret).
/// </summary>
public static class ReasoningSettings
{
    public const string Section = "Reasoning";

    public static ReasoningOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var defaults = new ReasoningOptions();
        string? mode = section["Mode"];
        string? endpoint = section["Endpoint"];
        return new ReasoningOptions
        {
            Mode = mode is null ? defaults.Mode
                : Enum.TryParse<ReasoningMode>(mode, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(mode, out _) ? parsed
                : throw new ReasoningConfigurationException($"Reasoning:Mode must be off, auto or required, not \"{mode}\""),
            Endpoint = string.IsNullOrWhiteSpace(endpoint) ? null
                : Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri
                : throw new ReasoningConfigurationException($"Reasoning:Endpoint \"{endpoint}\" is not an absolute URL"),
            Model = section["Model"] ?? defaults.Model,
            ApiKey = Key(section),
            Timeout = Seconds(section, "TimeoutSeconds", defaults.Timeout),
            MaxOutputTokens = Number(section, "MaxOutputTokens", defaults.MaxOutputTokens),
            Temperature = (float)Real(section, "Temperature", defaults.Temperature),
            MaxPromptTokens = Number(section, "MaxPromptTokens", defaults.MaxPromptTokens),
            CallsPerMinute = Number(section, "CallsPerMinute", defaults.CallsPerMinute),
            CallsPerHour = Number(section, "CallsPerHour", defaults.CallsPerHour),
            MaxConcurrency = Number(section, "MaxConcurrency", defaults.MaxConcurrency),
            MaxRetries = Number(section, "MaxRetries", defaults.MaxRetries),
            MaxRetryAfter = Seconds(section, "MaxRetryAfterSeconds", defaults.MaxRetryAfter),
            RetryDelay = Seconds(section, "RetryDelaySeconds", defaults.RetryDelay),
            BreakerFailureRatio = Real(section, "BreakerFailureRatio", defaults.BreakerFailureRatio),
            BreakerMinimumCalls = Number(section, "BreakerMinimumCalls", defaults.BreakerMinimumCalls),
            BreakerSampling = Seconds(section, "BreakerSamplingSeconds", defaults.BreakerSampling),
            BreakerOpenFor = Seconds(section, "BreakerOpenSeconds", defaults.BreakerOpenFor),
            CacheTtl = TimeSpan.FromHours(Real(section, "CacheTtlHours", defaults.CacheTtl.TotalHours)),
            InputPricePerMillion = Real(section, "InputPricePerMillion", 0),
            OutputPricePerMillion = Real(section, "OutputPricePerMillion", 0),
            StrictSchema = !string.Equals(section["ResponseFormat"], "json_object", StringComparison.OrdinalIgnoreCase),
        };
    }

    private static string? Key(IConfigurationSection section)
    {
        if (section["ApiKey"] is { Length: > 0 } key)
        {
            return key.Trim();
        }

        if (section["ApiKeyFile"] is not { Length: > 0 } file)
        {
            return null;
        }

        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The message names the file, never its content.
            throw new ReasoningConfigurationException($"Reasoning:ApiKeyFile \"{file}\" cannot be read: {exception.Message}");
        }
    }

    private static int Number(IConfigurationSection section, string name, int fallback) =>
        section[name] is not { } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value
        : throw new ReasoningConfigurationException($"Reasoning:{name} must be a whole number, not \"{text}\"");

    private static double Real(IConfigurationSection section, string name, double fallback) =>
        section[name] is not { } text ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) ? value
        : throw new ReasoningConfigurationException($"Reasoning:{name} must be a number, not \"{text}\"");

    private static TimeSpan Seconds(IConfigurationSection section, string name, TimeSpan fallback) =>
        TimeSpan.FromSeconds(Real(section, name, fallback.TotalSeconds));
}
