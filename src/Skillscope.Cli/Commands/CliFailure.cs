using System.Data.Common;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Tabular;
using Skillscope.Trees;
using Skillscope.Trees.Training;

namespace Skillscope.Cli.Commands;

/// <summary>Turns the failures a user can cause (bad model, bad input, unreadable file) into one line and an exit code.</summary>
internal static class CliFailure
{
    /// <summary>Exit code for bad input: a model or data file that cannot be used.</summary>
    public const int InputError = 1;

    /// <summary>Exit code for a command line that does not make sense.</summary>
    public const int UsageError = 2;

    public static int Report(TextWriter error, string message, int code = UsageError)
    {
        error.WriteLine($"error: {message}");
        return code;
    }

    public static int Guard(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (Describe(ex) is { } failure)
        {
            return Report(error, failure.Message, failure.Code);
        }
    }

    /// <summary>The same as <see cref="Guard"/> for a verb that waits on the database, the network or a server.</summary>
    public static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(ex) is { } failure)
        {
            return Report(error, failure.Message, failure.Code);
        }
    }

    /// <summary>What to print and the exit code for a failure the user can cause; null for a bug (it propagates).</summary>
    private static (string Message, int Code)? Describe(Exception ex) => ex switch
    {
        // FormatException: a setting that does not parse at start (a cron schedule, a proxy address).
        TreeModelException or TrainingException or CsvFormatException or IOException or UnauthorizedAccessException or FormatException => (ex.Message, InputError),
        CliUsageException => (ex.Message, UsageError),
        PackageException package => ($"{package.Message} ({package.Code})", InputError),
        RegistryException registry => ($"{registry.Message} ({registry.Code})", InputError),
        Skillscope.Assessment.Reasoning.ReasoningConfigurationException => (ex.Message, InputError),
        Skillscope.Assessment.Fusion.FusionWeightsException fusion => ($"fusion weights: {fusion.Message} ({fusion.Code})", InputError),

        // A setting that cannot work, found when the host starts; the message names it.
        Microsoft.Extensions.Options.OptionsValidationException => (ex.Message, InputError),

        // A setting whose value is not of its type ("RateLimit:PermitsPerSecond=abc"): the binder's message names it.
        InvalidOperationException when ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => (ex.Message, InputError),

        // A settings file that is not JSON (skillscope.json in the data directory): the message names the file.
        InvalidDataException => (ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message, InputError),
        DbException => ($"the database cannot be used: {ex.Message}", InputError),
        _ => null,
    };
}
