using System.Text.Json;
using System.Text.Json.Serialization;
using Skillscope.Trees;
using Skillscope.Trees.Model;

namespace Skillscope.Scoring.Packages;

/// <summary>
/// The contract of a model's input: ordered features with types and valid ranges, what to do with
/// invalid values, and how much of a row must be present to score it.
/// </summary>
public sealed record FeatureSchema
{
    /// <summary>Version of this schema, echoed in every scoring response.</summary>
    public string SchemaVersion { get; init; } = "1";

    /// <summary>Features in the model's column order.</summary>
    public required IReadOnlyList<FeatureSpec> Features { get; init; }

    /// <summary>Policy for NaN, ±infinity and out-of-range values.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<InvalidValuePolicy>))]
    public InvalidValuePolicy InvalidValues { get; init; } = InvalidValuePolicy.Missing;

    /// <summary>Share of features (0–1) that must be present and valid; below it the item is refused.</summary>
    public double MinimumCoverage { get; init; }

    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter<InvalidValuePolicy>(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>A schema derived from a model: its feature names (or f0, f1, …), unbounded, missing values allowed.</summary>
    public static FeatureSchema FromModel(XgboostModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var features = new FeatureSpec[model.FeatureCount];
        for (int i = 0; i < features.Length; i++)
        {
            string name = model.FeatureNames is { } names ? names[i] : $"f{i}";
            string type = model.FeatureKinds[i] switch
            {
                FeatureKind.Integral => "int",
                FeatureKind.Indicator => "bool",
                FeatureKind.Categorical => "category",
                _ => "float",
            };
            features[i] = new FeatureSpec(name, type);
        }

        return new FeatureSchema { Features = features };
    }

    /// <summary>Reads a schema and checks it is usable.</summary>
    /// <exception cref="PackageException">Not valid JSON, or not a valid schema.</exception>
    public static FeatureSchema FromJson(string json)
    {
        FeatureSchema? schema;
        try
        {
            schema = JsonSerializer.Deserialize<FeatureSchema>(json, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new PackageException("schema_invalid", $"the feature schema is not valid: {exception.Message}", exception);
        }

        if (schema?.Features is null)
        {
            throw new PackageException("schema_invalid", "the feature schema has no \"features\" list");
        }

        schema.Validate();
        return schema;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Checks names are present and unique, ranges are ordered and coverage is a share.</summary>
    /// <exception cref="PackageException">The first problem, named.</exception>
    public void Validate()
    {
        if (Features.Count == 0)
        {
            throw new PackageException("schema_invalid", "the feature schema lists no features");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in Features)
        {
            if (string.IsNullOrWhiteSpace(feature?.Name))
            {
                throw new PackageException("schema_invalid", "a feature in the schema has no name");
            }

            if (!seen.Add(feature.Name))
            {
                throw new PackageException("schema_invalid", $"feature \"{feature.Name}\" appears twice in the schema");
            }

            if (feature.Type is not ("float" or "int" or "bool" or "category"))
            {
                throw new PackageException("schema_invalid", $"feature \"{feature.Name}\" has type \"{feature.Type}\"; use float, int, bool or category");
            }

            if (feature.Minimum is double min && feature.Maximum is double max && !(min <= max))
            {
                throw new PackageException("schema_invalid", $"feature \"{feature.Name}\" has minimum {min} above maximum {max}");
            }
        }

        if (!(MinimumCoverage is >= 0 and <= 1))
        {
            throw new PackageException("schema_invalid", $"minimum_coverage is {MinimumCoverage}; it must be between 0 and 1");
        }
    }
}
