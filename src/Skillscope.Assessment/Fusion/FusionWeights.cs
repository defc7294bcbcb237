using System.Globalization;
using System.Text;
using System.Text.Json;
using Skillscope.Assessment.Skills;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// The fusion weights of every skill, as one versioned document (the JSON file in the data directory):
/// <c>{"version": 3, "updated_at": "…", "updated_by": "…", "skills": {"empathy": {"ml": 0.6, "linguistic": 0.15, "behavioral": 0.15, "confidence": 0.1}, …}}</c>.
/// </summary>
public sealed record FusionWeights(long Version, DateTime UpdatedAt, string UpdatedBy, IReadOnlyDictionary<string, SkillWeights> Skills)
{
    public static FusionWeights Default(SkillCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(1, DateTime.UnixEpoch, "default", catalog.Skills.ToDictionary(s => s, _ => SkillWeights.Default, StringComparer.Ordinal));
    }

    /// <summary>The weights of <paramref name="skill"/>; defaults for a skill the document does not name.</summary>
    public SkillWeights For(string skill) => Skills.TryGetValue(skill, out var weights) ? weights : SkillWeights.Default;

    /// <summary>
    /// Reads and validates a document: known skills only, every skill of the catalog present, each
    /// skill's weights non-negative and summing to 1. Throws <see cref="FusionWeightsException"/> naming the problem.
    /// </summary>
    public static FusionWeights Parse(string json, SkillCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new FusionWeightsException("invalid_json", $"the fusion weights are not valid JSON: {exception.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FusionWeightsException("invalid_weights", "the fusion weights must be a JSON object with \"version\" and \"skills\"");
            }

            long version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long parsed) && parsed > 0
                ? parsed
                : throw new FusionWeightsException("invalid_weights", "\"version\" must be a positive whole number");
            var updatedAt = root.TryGetProperty("updated_at", out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTime(out var when)
                ? when.ToUniversalTime() : DateTime.UnixEpoch;
            string updatedBy = root.TryGetProperty("updated_by", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString()! : "file";
            if (!root.TryGetProperty("skills", out var skills) || skills.ValueKind != JsonValueKind.Object)
            {
                throw new FusionWeightsException("invalid_weights", "\"skills\" must be an object of skill name → weights");
            }

            var weights = new Dictionary<string, SkillWeights>(StringComparer.Ordinal);
            foreach (var skill in skills.EnumerateObject())
            {
                weights[skill.Name] = ParseSkill(skill.Name, skill.Value, catalog);
            }

            var missing = catalog.Skills.Where(s => !weights.ContainsKey(s)).ToList();
            if (missing.Count > 0)
            {
                throw new FusionWeightsException("missing_skill", $"the fusion weights do not name {string.Join(", ", missing)}");
            }

            return new FusionWeights(version, updatedAt, updatedBy, weights);
        }
    }

    /// <summary>One skill's weights from JSON (<c>{"ml": …, "linguistic": …, "behavioral": …, "confidence": …}</c>), validated.</summary>
    public static SkillWeights ParseSkill(string skill, JsonElement element, SkillCatalog catalog)
    {
        RequireKnown(skill, catalog);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FusionWeightsException("invalid_weights", $"{skill}: weights must be an object with ml, linguistic, behavioral and confidence");
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is not ("ml" or "linguistic" or "behavioral" or "confidence"))
            {
                throw new FusionWeightsException("invalid_weights", $"{skill}: unknown weight \"{property.Name}\" (expected ml, linguistic, behavioral, confidence)");
            }

            if (property.Value.ValueKind != JsonValueKind.Number)
            {
                throw new FusionWeightsException("invalid_weights", $"{skill}: weight \"{property.Name}\" must be a number");
            }

            values[property.Name] = property.Value.GetDouble();
        }

        foreach (string name in new[] { "ml", "linguistic", "behavioral", "confidence" })
        {
            if (!values.ContainsKey(name))
            {
                throw new FusionWeightsException("invalid_weights", $"{skill}: weight \"{name}\" is missing");
            }
        }

        var weights = new SkillWeights(values["ml"], values["linguistic"], values["behavioral"], values["confidence"]);
        RequireValid(skill, weights);
        return weights;
    }

    /// <summary>Throws (<c>unknown_skill</c>, <c>invalid_weights</c>) unless every changed skill is in the catalog with valid weights.</summary>
    public static void RequireValid(IReadOnlyDictionary<string, SkillWeights> changes, SkillCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var (skill, weights) in changes)
        {
            RequireKnown(skill, catalog);
            RequireValid(skill, weights);
        }
    }

    /// <summary>
    /// The version after this one, with <paramref name="changes"/> applied; refused (<c>version_conflict</c>)
    /// when <paramref name="basedOn"/> is given and this is not that version.
    /// </summary>
    public FusionWeights Next(IReadOnlyDictionary<string, SkillWeights> changes, string actor, long? basedOn)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (basedOn is { } based && based != Version)
        {
            throw Conflict();
        }

        var skills = new Dictionary<string, SkillWeights>(Skills, StringComparer.Ordinal);
        foreach (var (skill, weights) in changes)
        {
            skills[skill] = weights;
        }

        return new FusionWeights(Version + 1, DateTime.UtcNow, actor, skills);
    }

    /// <summary>What a save based on an older version is told.</summary>
    public FusionWeightsException Conflict() => new("version_conflict", $"the weights changed meanwhile (now version {Version}, by {UpdatedBy})");

    /// <summary>Throws <c>unknown_skill</c> unless the catalog has <paramref name="skill"/>.</summary>
    public static void RequireKnown(string skill, SkillCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog.IndexOf(skill) < 0)
        {
            throw new FusionWeightsException("unknown_skill", $"\"{skill}\" is not a skill of the catalog ({string.Join(", ", catalog.Skills)})");
        }
    }

    /// <summary>Throws <c>invalid_weights</c> naming the skill when its weights are negative or do not sum to 1.</summary>
    public static void RequireValid(string skill, SkillWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Problem() is { } problem)
        {
            throw new FusionWeightsException("invalid_weights", $"{skill}: {problem}");
        }
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteString("updated_at", UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("updated_by", UpdatedBy);
            writer.WriteStartObject("skills");
            foreach (var (skill, weights) in Skills.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(skill);
                WriteSkill(writer, weights);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static void WriteSkill(Utf8JsonWriter writer, SkillWeights weights)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(weights);
        writer.WriteStartObject();
        writer.WriteNumber("ml", weights.Ml);
        writer.WriteNumber("linguistic", weights.Linguistic);
        writer.WriteNumber("behavioral", weights.Behavioral);
        writer.WriteNumber("confidence", weights.Confidence);
        writer.WriteEndObject();
    }
}
