using System.Globalization;

namespace Skillscope.Trees.Format;

/// <summary>
/// Typed, path-aware reads from a <see cref="DocumentNode"/> tree. Every failure names the JSON path
/// and what was expected, so a damaged model file points at its own defect.
/// </summary>
internal static class DocumentAccess
{
    public static DocumentObject AsObject(DocumentNode node, string path) =>
        node as DocumentObject ?? throw WrongType(node, "an object", path);

    public static DocumentNode Member(DocumentObject parent, string name, string path) =>
        parent.Members.TryGetValue(name, out var value)
            ? value
            : throw new TreeModelException($"required member \"{name}\" is missing", path);

    public static DocumentNode? OptionalMember(DocumentObject parent, string name) =>
        parent.Members.TryGetValue(name, out var value) && value is not DocumentNull ? value : null;

    public static DocumentObject ObjectMember(DocumentObject parent, string name, string path) =>
        AsObject(Member(parent, name, path), $"{path}.{name}");

    public static string AsString(DocumentNode node, string path) =>
        node is DocumentString s ? s.Value : throw WrongType(node, "a string", path);

    public static string StringMember(DocumentObject parent, string name, string path) =>
        AsString(Member(parent, name, path), $"{path}.{name}");

    /// <summary>
    /// Reads an integer that XGBoost writes as a string (<c>"num_feature": "26"</c>); a plain integer is accepted too.
    /// </summary>
    public static long IntegerParameter(DocumentObject parent, string name, string path, long? fallback = null)
    {
        var node = OptionalMember(parent, name);
        string memberPath = $"{path}.{name}";
        if (node is null)
        {
            return fallback ?? throw new TreeModelException($"required member \"{name}\" is missing", path);
        }

        return node switch
        {
            DocumentString s when long.TryParse(s.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) => v,
            DocumentNumber { IsInteger: true } n => (long)n.Value,
            _ => throw new TreeModelException($"expected an integer, found {Describe(node)}", memberPath),
        };
    }

    public static DocumentNode[] AsArrayItems(DocumentNode node, string path) => node switch
    {
        DocumentArray a => [.. a.Items],
        DocumentNumberArray n => [.. n.Doubles.Select((d, i) => new DocumentNumber(d, n.Singles[i], n.AllIntegers))],
        _ => throw WrongType(node, "an array", path),
    };

    public static float[] FloatArray(DocumentNode node, string path, int expectedLength)
    {
        float[] values = node switch
        {
            DocumentNumberArray n => n.Singles,
            DocumentArray { Items.Count: 0 } => [],
            _ => throw WrongType(node, "an array of numbers", path),
        };
        CheckLength(values.Length, expectedLength, path);
        return values;
    }

    public static double[] NumberArray(DocumentNode node, string path, int expectedLength = -1)
    {
        double[] values = node switch
        {
            DocumentNumberArray n => n.Doubles,
            DocumentArray { Items.Count: 0 } => [],
            _ => throw WrongType(node, "an array of numbers", path),
        };
        if (expectedLength >= 0)
        {
            CheckLength(values.Length, expectedLength, path);
        }

        return values;
    }

    /// <summary>Reads an array of integers in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int[] IntArray(DocumentNode node, string path, int expectedLength, long min = int.MinValue, long max = int.MaxValue)
    {
        double[] values = NumberArray(node, path, expectedLength);
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (v != Math.Floor(v) || v < min || v > max)
            {
                throw new TreeModelException($"expected an integer in [{min}, {max}], found {v.ToString("R", CultureInfo.InvariantCulture)}", $"{path}[{i}]");
            }

            result[i] = (int)v;
        }

        return result;
    }

    /// <summary>Reads 0/1 flags; XGBoost before 1.6 wrote booleans, later versions integers.</summary>
    public static bool[] FlagArray(DocumentNode node, string path, int expectedLength)
    {
        if (node is DocumentArray { Items.Count: > 0 } array)
        {
            CheckLength(array.Items.Count, expectedLength, path);
            var flags = new bool[array.Items.Count];
            for (int i = 0; i < flags.Length; i++)
            {
                flags[i] = array.Items[i] switch
                {
                    DocumentBoolean b => b.Value,
                    DocumentNumber { Value: 0 or 1 } n => n.Value == 1,
                    var other => throw new TreeModelException($"expected 0, 1 or a boolean, found {Describe(other)}", $"{path}[{i}]"),
                };
            }

            return flags;
        }

        int[] ints = IntArray(node, path, expectedLength, 0, 1);
        return Array.ConvertAll(ints, v => v == 1);
    }

    public static string[] StringArray(DocumentNode node, string path)
    {
        var items = AsArrayItems(node, path);
        var result = new string[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            result[i] = AsString(items[i], $"{path}[{i}]");
        }

        return result;
    }

    public static string Describe(DocumentNode node) => node switch
    {
        DocumentString s => $"the string \"{Truncate(s.Value)}\"",
        DocumentNumber n => $"the number {n.Value.ToString("R", CultureInfo.InvariantCulture)}",
        _ => $"{(node.KindName is "array" or "object" ? "an" : "a")} {node.KindName}",
    };

    private static void CheckLength(int actual, int expected, string path)
    {
        if (expected >= 0 && actual != expected)
        {
            throw new TreeModelException($"expected {expected} elements, found {actual}", path);
        }
    }

    private static TreeModelException WrongType(DocumentNode node, string expected, string path) =>
        new($"expected {expected}, found {Describe(node)}", path);

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
