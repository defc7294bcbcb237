using System.Collections.Frozen;
using System.Text.Json;
using Skillscope.Scoring.Packages;

namespace Skillscope.Scoring.Serving;

/// <summary>
/// Applies a schema's feature-safety rules to one JSON item: an object keyed by feature name or an
/// array in schema order. Absent and null features are missing; unknown features are ignored with a
/// warning; NaN, ±infinity and out-of-range values follow the schema's policy; items below the
/// minimum coverage are refused with the missing features listed. Never throws for bad input.
/// </summary>
public sealed class RowPreparer
{
    private readonly FeatureSchema _schema;
    private readonly FrozenDictionary<string, int> _index;

    public RowPreparer(FeatureSchema schema)
    {
        _schema = schema ?? throw new ArgumentNullException(nameof(schema));
        _index = schema.Features.Select((f, i) => (f.Name, i)).ToFrozenDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
    }

    public PreparedRow Prepare(JsonElement item)
    {
        int count = _schema.Features.Count;
        var values = new float[count];
        Array.Fill(values, float.NaN);
        var present = new bool[count];
        var warnings = new List<string>();
        switch (item.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in item.EnumerateObject())
                {
                    if (!_index.TryGetValue(property.Name, out int f))
                    {
                        warnings.Add($"unknown feature \"{property.Name}\" ignored");
                        continue;
                    }

                    if (present[f])
                    {
                        return Refused("duplicate_feature", $"feature \"{property.Name}\" is given twice");
                    }

                    if (Read(property.Value, f, values, present, warnings) is { } problem)
                    {
                        return Refused(problem);
                    }
                }

                break;
            case JsonValueKind.Array:
                int length = item.GetArrayLength();
                if (length != count)
                {
                    return Refused("wrong_length", $"the row has {length} values; the schema has {count} features");
                }

                int position = 0;
                foreach (var element in item.EnumerateArray())
                {
                    if (Read(element, position++, values, present, warnings) is { } problem)
                    {
                        return Refused(problem);
                    }
                }

                break;
            default:
                return Refused("invalid_item", $"an item must be an object keyed by feature name or an array of {count} values, not {item.ValueKind.ToString().ToLowerInvariant()}");
        }

        return Complete(values, present, warnings);
    }

    private PreparedRow Complete(float[] values, bool[] present, List<string> warnings)
    {
        int valid = 0;
        foreach (bool p in present)
        {
            valid += p ? 1 : 0;
        }

        double coverage = (double)valid / values.Length;
        if (coverage < _schema.MinimumCoverage)
        {
            var missing = _schema.Features.Where((_, i) => !present[i]).Select(f => f.Name).ToList();
            return Refused("insufficient_coverage",
                $"coverage {coverage:0.###} is below the minimum {_schema.MinimumCoverage:0.###}; missing: {string.Join(", ", missing)}");
        }

        return new PreparedRow(values, coverage, warnings, null);
    }

    /// <summary>
    /// Prepares a row given as values by name (e.g. extracted features): NaN is missing, other values
    /// follow the same policy as JSON input, and names the schema does not know are warned about.
    /// </summary>
    public PreparedRow Prepare(IReadOnlyList<string> names, ReadOnlySpan<float> row)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != row.Length)
        {
            return Refused("wrong_length", $"{row.Length} values for {names.Count} names");
        }

        int count = _schema.Features.Count;
        var values = new float[count];
        Array.Fill(values, float.NaN);
        var present = new bool[count];
        var warnings = new List<string>();
        for (int i = 0; i < names.Count; i++)
        {
            if (!_index.TryGetValue(names[i], out int f))
            {
                warnings.Add($"unknown feature \"{names[i]}\" ignored");
                continue;
            }

            if (present[f])
            {
                return Refused("duplicate_feature", $"feature \"{names[i]}\" is given twice");
            }

            if (!float.IsNaN(row[i]) && Accept(row[i], f, values, present, warnings) is { } problem)
            {
                return Refused(problem);
            }
        }

        return Complete(values, present, warnings);
    }

    private ItemProblem? Read(JsonElement element, int f, float[] values, bool[] present, List<string> warnings)
    {
        double value;
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True or JsonValueKind.False:
                value = element.ValueKind == JsonValueKind.True ? 1 : 0;
                break;
            case JsonValueKind.Number:
                value = element.TryGetDouble(out double parsed) ? parsed : double.PositiveInfinity;
                break;
            default:
                return new ItemProblem("wrong_type", $"feature \"{_schema.Features[f].Name}\" must be a number, true/false or null, not {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        return Accept(value, f, values, present, warnings);
    }

    /// <summary>Takes one value under the schema's policy for values that are not finite or out of range.</summary>
    private ItemProblem? Accept(double value, int f, float[] values, bool[] present, List<string> warnings)
    {
        var feature = _schema.Features[f];
        float scored = (float)value;
        bool finite = float.IsFinite(scored);
        if (finite && feature.InRange(value))
        {
            values[f] = scored;
            present[f] = true;
            return null;
        }

        string what = finite ? $"{value} is outside [{feature.Minimum?.ToString() ?? "−∞"}, {feature.Maximum?.ToString() ?? "∞"}]" : "is not finite";
        switch (_schema.InvalidValues)
        {
            case InvalidValuePolicy.Reject:
                return new ItemProblem("invalid_value", $"feature \"{feature.Name}\": {what}");
            case InvalidValuePolicy.Clip when !double.IsNaN(value) && (feature.Minimum is not null || feature.Maximum is not null || finite):
                double clipped = Math.Clamp(value, feature.Minimum ?? float.MinValue, feature.Maximum ?? float.MaxValue);
                values[f] = (float)clipped;
                present[f] = true;
                warnings.Add($"feature \"{feature.Name}\": {what}; clipped to {(float)clipped}");
                return null;
            default:
                warnings.Add($"feature \"{feature.Name}\": {what}; scored as missing");
                return null;
        }
    }

    private static PreparedRow Refused(string code, string message) => Refused(new ItemProblem(code, message));

    private static PreparedRow Refused(ItemProblem problem) => new([], 0, [], problem);
}
