namespace Skillscope.Trees.Format;

/// <summary>
/// A node of a parsed model document. Text JSON and UBJSON both parse into this one tree so the
/// XGBoost reader is written once. Numeric arrays are kept packed (one node per array, not per number)
/// because a model holds millions of numbers.
/// </summary>
internal abstract class DocumentNode
{
    public abstract string KindName { get; }
}

internal sealed class DocumentObject(Dictionary<string, DocumentNode> members) : DocumentNode
{
    public Dictionary<string, DocumentNode> Members { get; } = members;

    public override string KindName => "object";
}

internal sealed class DocumentArray(List<DocumentNode> items) : DocumentNode
{
    public List<DocumentNode> Items { get; } = items;

    public override string KindName => "array";
}

/// <summary>
/// An array whose elements are all numbers. <see cref="Singles"/> holds each element converted
/// directly from its source text (or binary float32) to float32, which matters: decimal → double →
/// float can round differently from decimal → float, and XGBoost thresholds are float32.
/// </summary>
internal sealed class DocumentNumberArray(double[] doubles, float[] singles, bool allIntegers) : DocumentNode
{
    public double[] Doubles { get; } = doubles;

    public float[] Singles { get; } = singles;

    /// <summary>True when every element was written as an integer (not a float literal or float type).</summary>
    public bool AllIntegers { get; } = allIntegers;

    public override string KindName => "array";
}

internal sealed class DocumentNumber(double value, float single, bool isInteger) : DocumentNode
{
    public double Value { get; } = value;

    public float Single { get; } = single;

    public bool IsInteger { get; } = isInteger;

    public override string KindName => "number";
}

internal sealed class DocumentString(string value) : DocumentNode
{
    public string Value { get; } = value;

    public override string KindName => "string";
}

internal sealed class DocumentBoolean(bool value) : DocumentNode
{
    public bool Value { get; } = value;

    public override string KindName => "boolean";
}

internal sealed class DocumentNull : DocumentNode
{
    public static readonly DocumentNull Instance = new();

    public override string KindName => "null";
}
