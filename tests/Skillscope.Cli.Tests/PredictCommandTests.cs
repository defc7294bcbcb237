using System.Globalization;
using System.Text.Json;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// <c>skillscope predict</c> checked from outside: files in, CSV out, compared with what XGBoost itself
/// returned for the same model and rows.
/// </summary>
public sealed class PredictCommandTests
{
    private static string Fixtures => ParityFixtures.Directory;

    public static TheoryData<string> Cases() => [.. Directory.GetDirectories(Fixtures).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Predictions_margins_and_contributions_match_xgboost(string name)
    {
        using var temp = new TempFolder();
        string folder = Path.Combine(Fixtures, name);
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "expected.json")));
        var root = expected.RootElement;
        var scored = root.GetProperty("scored_rows").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var dmatrixRows = root.GetProperty("dmatrix_rows").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        foreach (var (flag, key, tolerance, rows) in new[]
                 {
                     ("", "prediction", 1e-6, scored),
                     ("--output-margin", "margin", 1e-5, scored),
                     ("--pred-contribs", "contribs", 1e-4, dmatrixRows),
                 })
        {
            string output = temp.File($"{key}.csv");
            string[] args = ["predict", "--model", Path.Combine(folder, "model.json"), "--input", Path.Combine(folder, "input.csv"), "--output", output];
            var run = CliRun.Of(flag.Length > 0 ? [.. args, flag] : args);
            Assert.True(run.ExitCode == 0, run.Error);

            var lines = File.ReadAllLines(output);
            var want = root.GetProperty(key).EnumerateArray().ToArray();
            for (int i = 0; i < rows.Length; i++)
            {
                var got = lines[rows[i] + 1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                var row = want[i].EnumerateArray().Select(Number).ToArray();
                Assert.Equal(row.Length, got.Length);
                for (int c = 0; c < row.Length; c++)
                {
                    bool close = !double.IsFinite(row[c]) ? row[c].Equals(got[c]) : Math.Abs(row[c] - got[c]) <= tolerance * Math.Max(1, Math.Abs(row[c]));
                    Assert.True(close, $"{name} {key} input row {rows[i]} column {c}: XGBoost {row[c]:R}, skillscope {got[c]:R}");
                }
            }
        }
    }

    [Fact]
    public void Output_headers_name_the_columns()
    {
        using var temp = new TempFolder();
        string Run(string model, params string[] extra)
        {
            string output = temp.File("out.csv");
            var run = CliRun.Of(["predict", "--model", Path.Combine(Fixtures, model, "model.json"), "--input", Path.Combine(Fixtures, model, "input.csv"), "--output", output, .. extra]);
            Assert.True(run.ExitCode == 0, run.Error);
            return File.ReadLines(output).First();
        }

        Assert.Equal("prediction", Run("binary_logistic"));
        Assert.Equal("margin", Run("binary_logistic", "--output-margin"));
        Assert.Equal("class_0,class_1,class_2", Run("multi_softprob"));
        Assert.Equal("prediction", Run("multi_softmax"));
        Assert.StartsWith("feat_0,feat_1,", Run("binary_logistic", "--pred-contribs"));
        Assert.EndsWith(",bias", Run("binary_logistic", "--pred-contribs"));
        Assert.StartsWith("class_0:feat_0,", Run("multi_softprob", "--pred-contribs"));
        Assert.StartsWith("tree_0,tree_1,", Run("binary_logistic", "--pred-leaf"));
    }

    [Fact]
    public void Columns_are_matched_by_name_whatever_their_order_and_extra_columns_are_ignored()
    {
        using var temp = new TempFolder();
        string folder = Path.Combine(Fixtures, "binary_logistic");
        var lines = File.ReadAllLines(Path.Combine(folder, "input.csv"));
        // Reverse the columns and put an id column first.
        var shuffled = lines.Select((line, i) => (i == 0 ? "student_id" : $"s{i}") + "," + string.Join(',', line.Split(',').Reverse()));
        File.WriteAllLines(temp.File("shuffled.csv"), shuffled);

        var straight = CliRun.Of("predict", "--model", Path.Combine(folder, "model.json"), "--input", Path.Combine(folder, "input.csv"), "--output", temp.File("a.csv"));
        var reordered = CliRun.Of("predict", "--model", Path.Combine(folder, "model.json"), "--input", temp.File("shuffled.csv"), "--output", temp.File("b.csv"));

        Assert.Equal(0, straight.ExitCode);
        Assert.Equal(0, reordered.ExitCode);
        Assert.Contains("student_id", reordered.Error, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(temp.File("a.csv")), File.ReadAllText(temp.File("b.csv")));
    }

    [Fact]
    public void Missing_cells_may_be_empty_nan_or_NaN()
    {
        using var temp = new TempFolder();
        string model = Path.Combine(Fixtures, "binary_logistic", "model.json");
        string header = string.Join(',', Enumerable.Range(0, 12).Select(i => $"feat_{i}"));
        File.WriteAllLines(temp.File("in.csv"), [header, string.Join(',', Enumerable.Repeat("", 12)), string.Join(',', Enumerable.Repeat("nan", 12)), string.Join(',', Enumerable.Repeat("NaN", 12))]);

        var run = CliRun.Of("predict", "--model", model, "--input", temp.File("in.csv"), "--output", temp.File("out.csv"));

        Assert.Equal(0, run.ExitCode);
        var values = File.ReadAllLines(temp.File("out.csv")).Skip(1).ToArray();
        Assert.Equal(3, values.Length);
        Assert.Single(values.Distinct());
    }

    [Theory]
    [InlineData("feat_0,feat_1\n1,2\n", "lacks 10 of the model's 12 features")]
    [InlineData("", "empty")]
    [InlineData("HEADER", "lacks")]
    public void Unusable_input_is_one_line_error_and_a_nonzero_exit(string content, string message)
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("in.csv"), content);

        var run = CliRun.Of("predict", "--model", Path.Combine(Fixtures, "binary_logistic", "model.json"), "--input", temp.File("in.csv"), "--output", temp.File("out.csv"));

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.False(File.Exists(temp.File("out.csv")));
    }

    [Fact]
    public void A_bad_cell_names_its_line_and_column_and_leaves_no_partial_output()
    {
        using var temp = new TempFolder();
        string header = string.Join(',', Enumerable.Range(0, 12).Select(i => $"feat_{i}"));
        string good = string.Join(',', Enumerable.Repeat("0.5", 12));
        File.WriteAllLines(temp.File("in.csv"), [header, good, good, "0.1,0.2,zero,0,0,0,0,0,0,0,0,0"]);
        File.WriteAllText(temp.File("out.csv"), "previous result");

        var run = CliRun.Of("predict", "--model", Path.Combine(Fixtures, "binary_logistic", "model.json"), "--input", temp.File("in.csv"), "--output", temp.File("out.csv"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 4, column 3", run.Error, StringComparison.Ordinal);
        Assert.Equal("previous result", File.ReadAllText(temp.File("out.csv")));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_damaged_model_is_one_line_error()
    {
        using var temp = new TempFolder();
        byte[] model = File.ReadAllBytes(Path.Combine(Fixtures, "binary_logistic", "model.ubj"));
        File.WriteAllBytes(temp.File("cut.ubj"), model[..(model.Length / 2)]);
        File.WriteAllText(temp.File("in.csv"), "a\n1\n");

        var run = CliRun.Of("predict", "--model", temp.File("cut.ubj"), "--input", temp.File("in.csv"), "--output", temp.File("out.csv"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("truncated", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_two_outputs_at_once_is_a_usage_error()
    {
        var run = CliRun.Of("predict", "--model", "m", "--input", "i", "--output", "o", "--pred-leaf", "--pred-contribs");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("at most one", run.Error, StringComparison.Ordinal);
    }

    private static double Number(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? element.GetString() switch { "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, _ => double.NaN }
        : element.GetDouble();
}
