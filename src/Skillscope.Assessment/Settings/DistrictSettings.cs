using System.Globalization;
using System.Text.Json;
using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Settings;

/// <summary>
/// A district's own settings, each in place of the installation's; a null one falls back to the installation's.
/// Versioned per district: each change is the next version, written once and audited.
/// </summary>
/// <param name="Version">1 for a district's first settings.</param>
/// <param name="UpdatedAt">When this version was saved.</param>
/// <param name="UpdatedBy">Who saved it.</param>
/// <param name="Bands">Where scores become strengths and growth areas.</param>
/// <param name="TranscriptDays">Days its students' transcripts are kept (1 to 3,650).</param>
/// <param name="Llm">Whether an LLM may write its students' feedback (false: the template always).</param>
/// <param name="LlmFeedbackPerDay">Feedback texts an LLM may write for its students per UTC day (retries and cached texts not counted); beyond it, the template.</param>
public sealed record DistrictSettings(long Version, DateTime UpdatedAt, string UpdatedBy, SkillBands? Bands, int? TranscriptDays, bool? Llm, int? LlmFeedbackPerDay)
{
    public const int MaxTranscriptDays = 3_650;
    public const int MaxLlmFeedbackPerDay = 1_000_000;

    private static readonly string[] Fields = ["bands", "transcript_days", "llm", "llm_feedback_per_day"];

    /// <summary>
    /// Reads a document (<see cref="ToJson"/>'s, or an API body's fields) into settings of <paramref name="version"/>;
    /// a missing or null field falls back to the installation's.
    /// </summary>
    /// <exception cref="DistrictSettingsException">An unknown field, a value of the wrong kind or out of range (the message names it).</exception>
    public static DistrictSettings Read(JsonElement root, long version, DateTime updatedAt, string updatedBy)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DistrictSettingsException("invalid_settings", "settings are a JSON object");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (Array.IndexOf(Fields, property.Name) < 0 && property.Name is not ("version" or "updated_at" or "updated_by"))
            {
                throw new DistrictSettingsException("invalid_settings", $"\"{property.Name}\" is not a district setting (they are {string.Join(", ", Fields)})");
            }
        }

        var settings = new DistrictSettings(version, updatedAt, updatedBy, BandsOf(root), Int(root, "transcript_days"), Bool(root, "llm"), Int(root, "llm_feedback_per_day"));
        settings.RequireValid();
        return settings;
    }

    /// <summary>Reads a stored document.</summary>
    public static DistrictSettings Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return Read(root, root.GetProperty("version").GetInt64(), root.GetProperty("updated_at").GetDateTime(), root.GetProperty("updated_by").GetString() ?? "");
    }

    /// <summary>Throws <c>invalid_settings</c> naming the first setting out of range.</summary>
    public void RequireValid()
    {
        if (Bands?.Problem() is { } bands)
        {
            throw new DistrictSettingsException("invalid_settings", bands);
        }

        if (TranscriptDays is < 1 or > MaxTranscriptDays)
        {
            throw new DistrictSettingsException("invalid_settings", $"transcript_days must be between 1 and {MaxTranscriptDays} (got {TranscriptDays})");
        }

        if (LlmFeedbackPerDay is < 0 or > MaxLlmFeedbackPerDay)
        {
            throw new DistrictSettingsException("invalid_settings", $"llm_feedback_per_day must be between 0 and {MaxLlmFeedbackPerDay} (got {LlmFeedbackPerDay})");
        }
    }

    /// <summary>What a change based on an older version is told.</summary>
    public DistrictSettingsException Conflict() => new("version_conflict", $"the district's settings changed meanwhile (now version {Version}, by {UpdatedBy})");

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteString("updated_at", UpdatedAt);
            json.WriteString("updated_by", UpdatedBy);
            if (Bands is { } bands)
            {
                json.WriteStartObject("bands");
                json.WriteNumber("strength_at", bands.StrengthAt);
                json.WriteNumber("growth_below", bands.GrowthBelow);
                json.WriteEndObject();
            }

            if (TranscriptDays is { } days)
            {
                json.WriteNumber("transcript_days", days);
            }

            if (Llm is { } llm)
            {
                json.WriteBoolean("llm", llm);
            }

            if (LlmFeedbackPerDay is { } perDay)
            {
                json.WriteNumber("llm_feedback_per_day", perDay);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static SkillBands? BandsOf(JsonElement root)
    {
        if (!root.TryGetProperty("bands", out var bands) || bands.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // TryGetDouble throws on anything but a number: a string or null edge is refused here, by name; so is a third key.
        if (bands.ValueKind != JsonValueKind.Object || bands.EnumerateObject().Any(p => p.Name is not ("strength_at" or "growth_below"))
            || !bands.TryGetProperty("strength_at", out var strength) || !bands.TryGetProperty("growth_below", out var growth)
            || strength.ValueKind != JsonValueKind.Number || growth.ValueKind != JsonValueKind.Number
            || !strength.TryGetDouble(out double strengthAt) || !growth.TryGetDouble(out double growthBelow))
        {
            throw new DistrictSettingsException("invalid_settings", "bands are {\"strength_at\": number, \"growth_below\": number}");
        }

        return new SkillBands(strengthAt, growthBelow);
    }

    private static int? Int(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
            ? number
            : throw new DistrictSettingsException("invalid_settings", $"{name} must be a whole number (got {value.GetRawText()})");
    }

    private static bool? Bool(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw new DistrictSettingsException("invalid_settings", $"{name} must be true or false (got {value.GetRawText()})");

    /// <summary>The version an assessment records: the district's id and its settings' version.</summary>
    public string VersionOf(string districtId) => $"{districtId}:{Version.ToString(CultureInfo.InvariantCulture)}";
}
