using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
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
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _indexBySpan;
    private readonly byte[]?[] _utf8Names;
    private readonly double[] _minimums;
    private readonly double[] _maximums;

    public RowPreparer(FeatureSchema schema)
    {
        _schema = schema ?? throw new ArgumentNullException(nameof(schema));
        _index = schema.Features.Select((f, i) => (f.Name, i)).ToFrozenDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _indexBySpan = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        _utf8Names = [.. schema.Features.Select(f => StrictUtf8(f.Name))];
        _minimums = [.. schema.Features.Select(f => f.Minimum ?? double.NegativeInfinity)];
        _maximums = [.. schema.Features.Select(f => f.Maximum ?? double.PositiveInfinity)];
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
                int expected = 0;
                foreach (var property in item.EnumerateObject())
                {
                    if (!TryFind(property, expected, out int f))
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

                    expected = f + 1;
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

    /// <summary>
    /// The column of a feature named in the request, from the name's UTF-8 bytes rather than
    /// <see cref="JsonProperty.Name"/>, which makes a string per feature per row (a fifth of preparing a row).
    /// Clients mostly send features in the schema's order, so the column after the last one found is tried
    /// first, by comparing bytes; any other name is looked up.
    /// </summary>
    private bool TryFind(JsonProperty property, int expected, out int column)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        const int MaxStackChars = 256;

        // An escaped name (\u0041) is decoded by the reader; names too long for the stack take the string too.
        // Escapes are ruled out first: the raw bytes of an escaped name could equal another feature's name.
        if (raw.Length > MaxStackChars || raw.IndexOf((byte)'\\') >= 0)
        {
            return _index.TryGetValue(property.Name, out column);
        }

        if (expected < _utf8Names.Length && _utf8Names[expected] is { } utf8 && raw.SequenceEqual(utf8))
        {
            column = expected;
            return true;
        }

        // UTF-8 never decodes to more chars than it has bytes. Bytes that are not UTF-8 are not replaced here:
        // the name is read as before, as a string (which refuses them).
        Span<char> name = stackalloc char[raw.Length];
        if (Utf8.ToUtf16(raw, name, out _, out int length, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return _index.TryGetValue(property.Name, out column);
        }

        return _indexBySpan.TryGetValue(name[..length], out column);
    }

    /// <summary>A schema name's UTF-8 bytes, or null for a name that is not valid text (a lone surrogate): it is only ever looked up.</summary>
    private static byte[]? StrictUtf8(string name)
    {
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(name.Length)];
        return Utf8.FromUtf16(name, bytes, out _, out int written, replaceInvalidSequences: false) == OperationStatus.Done ? bytes[..written] : null;
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
        float scored = (float)value;

        // The schema's range as arrays (a missing bound is infinite): this runs for every value of every row.
        if (float.IsFinite(scored) && value >= _minimums[f] && value <= _maximums[f])
        {
            values[f] = scored;
            present[f] = true;
            return null;
        }

        var feature = _schema.Features[f];
        bool finite = float.IsFinite(scored);

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
