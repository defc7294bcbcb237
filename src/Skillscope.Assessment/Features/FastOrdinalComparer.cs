namespace Skillscope.Assessment.Features;

/// <summary>
/// Ordinal string equality with a cheap FNV-1a hash, usable with span lookups. Only for sets that
/// live for one student's extraction: the hash is not randomised, which is fine for short-lived,
/// bounded sets and saves most of the cost of counting distinct words.
/// </summary>
internal sealed class FastOrdinalComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>, IEqualityComparer<(string, string)>
{
    public static FastOrdinalComparer Instance { get; } = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<char> alternate) => Hash(alternate);

    public string Create(ReadOnlySpan<char> alternate) => new(alternate);

    public bool Equals((string, string) x, (string, string) y) =>
        string.Equals(x.Item1, y.Item1, StringComparison.Ordinal) && string.Equals(x.Item2, y.Item2, StringComparison.Ordinal);

    public int GetHashCode((string, string) obj) => (Hash(obj.Item1) * 31) ^ Hash(obj.Item2);

    private static int Hash(ReadOnlySpan<char> text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }
}
