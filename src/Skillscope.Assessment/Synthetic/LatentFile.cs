using System.Globalization;
using Skillscope.Assessment.Skills;

namespace Skillscope.Assessment.Synthetic;

/// <summary>Reads the <c>latent.csv</c> a generated district comes with (validation only: never imported).</summary>
public static class LatentFile
{
    /// <summary>True skill levels by student id, in catalog order; null when the file does not exist.</summary>
    public static Dictionary<string, double[]>? Read(string path, SkillCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!File.Exists(path))
        {
            return null;
        }

        using var lines = File.ReadLines(path).GetEnumerator();
        if (!lines.MoveNext())
        {
            return [];
        }

        // Columns by the header's skill names, so a catalog in another order still reads right.
        var header = lines.Current.Split(',');
        int[] column = [.. catalog.Skills.Select(s => Array.IndexOf(header, s))];
        if (column.Any(c => c < 1))
        {
            throw new FormatException($"{path} does not have a column for every skill ({string.Join(", ", catalog.Skills)})");
        }

        var latent = new Dictionary<string, double[]>(StringComparer.Ordinal);
        while (lines.MoveNext())
        {
            var parts = lines.Current.Split(',');
            if (parts.Length == header.Length)
            {
                latent[parts[0]] = [.. column.Select(c => double.Parse(parts[c], CultureInfo.InvariantCulture))];
            }
        }

        return latent;
    }
}
