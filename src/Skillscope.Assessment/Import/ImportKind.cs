namespace Skillscope.Assessment.Import;

/// <summary>What an import file holds; a directory import reads them in this order (roster before evidence).</summary>
public enum ImportKind
{
    Districts,
    Schools,
    Teachers,
    Classes,
    Students,
    Utterances,
    Events,
    Ratings,
}

/// <summary>Names of import kinds as files and URLs spell them.</summary>
public static class ImportKinds
{
    public static string Name(ImportKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParse(string? name, out ImportKind kind)
    {
        foreach (var candidate in Enum.GetValues<ImportKind>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static string All => string.Join(", ", Enum.GetValues<ImportKind>().Select(Name));
}
