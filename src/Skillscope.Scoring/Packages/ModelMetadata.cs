using System.Text.Json;
using System.Text.RegularExpressions;

namespace Skillscope.Scoring.Packages;

/// <summary>Who a package is: name, semantic version, when it was made, from what data, how good it was.</summary>
public sealed partial record ModelMetadata
{
    public required string Name { get; init; }

    /// <summary>A semantic version (<c>MAJOR.MINOR.PATCH</c>, optional pre-release).</summary>
    public required string Version { get; init; }

    public DateTimeOffset Created { get; init; }

    /// <summary>SHA-256 of the training data, when known.</summary>
    public string? TrainingDataSha256 { get; init; }

    /// <summary>Evaluation metrics (e.g. <c>auc</c>, <c>logloss</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public string? Description { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, FeatureSchema.JsonOptions);

    /// <exception cref="PackageException">Not valid metadata.</exception>
    public static ModelMetadata FromJson(string json)
    {
        ModelMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<ModelMetadata>(json, FeatureSchema.JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new PackageException("metadata_invalid", $"metadata.json is not valid: {exception.Message}", exception);
        }

        if (metadata is null)
        {
            throw new PackageException("metadata_invalid", "metadata.json is empty");
        }

        CheckName(metadata.Name);
        CheckVersion(metadata.Version);
        return metadata;
    }

    /// <exception cref="PackageException">The name is not 1–64 lowercase letters, digits, '_' or '-'.</exception>
    public static void CheckName(string? name)
    {
        if (name is null || !NamePattern().IsMatch(name))
        {
            throw new PackageException("invalid_name", $"model name \"{name}\" is not valid: use 1–64 lowercase letters, digits, '_' or '-', starting with a letter");
        }
    }

    /// <exception cref="PackageException">Not a semantic version.</exception>
    public static void CheckVersion(string? version)
    {
        if (version is null || !VersionPattern().IsMatch(version))
        {
            throw new PackageException("invalid_version", $"version \"{version}\" is not a semantic version such as 1.0.0 or 1.1.0-rc.1");
        }
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_-]{0,63}\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?\z")]
    private static partial Regex VersionPattern();
}
