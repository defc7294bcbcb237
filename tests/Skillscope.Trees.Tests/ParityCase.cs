using System.Globalization;
using System.Text.Json;

namespace Skillscope.Trees.Tests;

/// <summary>One fixture folder written by make_parity_fixtures.py: a model, its input rows and what XGBoost returned.</summary>
internal sealed class ParityCase
{
    private ParityCase(string folder)
    {
        Folder = folder;
        var lines = File.ReadAllLines(Path.Combine(folder, "input.csv"));
        Header = lines[0].Split(',');
        Rows = lines.Skip(1).Select(line => line.Split(',').Select(ParseCell).ToArray()).ToArray();
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "expected.json")));
        var root = document.RootElement;
        ScoredRows = root.GetProperty("scored_rows").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        DMatrixRows = root.GetProperty("dmatrix_rows").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Margins = Matrix(root.GetProperty("margin"));
        Predictions = Matrix(root.GetProperty("prediction"));
        Contributions = Matrix(root.GetProperty("contribs"));
        Leaves = root.TryGetProperty("leaves", out var leaves)
            ? leaves.EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray()
            : null;
        Importance = root.GetProperty("importance").EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.EnumerateObject().ToDictionary(
                f => f.Name,
                f => f.Value.ValueKind == JsonValueKind.Array ? f.Value.EnumerateArray().Select(Number).ToArray() : [Number(f.Value)]));
    }

    public static string Root => Path.Combine(AppContext.BaseDirectory, "fixtures", "parity");

    public string Folder { get; }

    public string Name => Path.GetFileName(Folder);

    public string[] Header { get; }

    public float[][] Rows { get; }

    public int[] ScoredRows { get; }

    public int[] DMatrixRows { get; }

    public double[][] Margins { get; }

    public double[][] Predictions { get; }

    public double[][] Contributions { get; }

    public int[][]? Leaves { get; }

    public Dictionary<string, Dictionary<string, double[]>> Importance { get; }

    public static IEnumerable<string> Names() =>
        Directory.GetDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static ParityCase Load(string name) => new(Path.Combine(Root, name));

    public static ParityCase LoadFolder(string folder) => new(folder);

    public string ModelPath(string format) => Path.Combine(Folder, $"model.{format}");

    public float[] Flatten(IEnumerable<int> rowIndexes) => rowIndexes.SelectMany(i => Rows[i]).ToArray();

    private static float ParseCell(string cell) => cell switch
    {
        "" => float.NaN,
        "inf" => float.PositiveInfinity,
        "-inf" => float.NegativeInfinity,
        _ => float.Parse(cell, CultureInfo.InvariantCulture),
    };

    private static double[][] Matrix(JsonElement element) =>
        element.EnumerateArray().Select(r => r.EnumerateArray().Select(Number).ToArray()).ToArray();

    /// <summary>The fixture writer spells non-finite numbers as strings to stay strict JSON.</summary>
    private static double Number(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? element.GetString() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            _ => double.NaN,
        }
        : element.GetDouble();
}
