using System.Globalization;
using System.Text;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary><c>skillscope train</c> from outside: a CSV in, a model file out that <c>predict</c> scores; bad input named.</summary>
public sealed class TrainCommandTests
{
    [Fact]
    public void Trains_with_validation_and_early_stopping_and_the_model_scores()
    {
        using var temp = new TempFolder();
        string train = WriteTable(temp.File("train.csv"), 1500, seed: 1);
        string valid = WriteTable(temp.File("valid.csv"), 500, seed: 2);
        string model = temp.File("model.ubj");
        var run = CliRun.Of("train", "--train", train, "--valid", valid, "--label", "passed", "--drop", "cohort",
            "--objective", "binary:logistic", "--num-round", "400", "--eta", "0.3", "--max-depth", "4", "--seed", "7",
            "--early-stopping-rounds", "5", "--set", "min_child_weight=2", "--output", model);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("[0]\ttrain-logloss:", run.Output, StringComparison.Ordinal);
        Assert.Contains("valid-logloss:", run.Output, StringComparison.Ordinal);
        Assert.Contains("best round:", run.Output, StringComparison.Ordinal);
        Assert.Contains("not features: student_id, cohort", run.Output, StringComparison.Ordinal);

        string scores = temp.File("scores.csv");
        var predict = CliRun.Of("predict", "--model", model, "--input", valid, "--output", scores);
        Assert.True(predict.ExitCode == 0, predict.Error);
        var lines = File.ReadAllLines(scores);
        Assert.Equal(501, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.InRange(double.Parse(l, CultureInfo.InvariantCulture), 0, 1));
    }

    [Theory]
    [InlineData("--label", "nope", "no column \"nope\"")]
    [InlineData("--eta", "-1", "eta")]
    [InlineData("--objective", "reg:gamma", "reg:gamma")]
    [InlineData("--set", "bogus=1", "unknown parameter \"bogus\"")]
    [InlineData("--objective", "count:poisson", "")]
    public void Bad_requests_fail_with_the_problem_named(string option, string value, string message)
    {
        using var temp = new TempFolder();
        string train = WriteTable(temp.File("train.csv"), 200, seed: 3);
        string[] args = ["train", "--train", train, "--label", "passed", "--drop", "cohort", "--output", temp.File("m.json")];
        args = option == "--label" ? ["train", "--train", train, "--label", value, "--output", temp.File("m.json")] : [.. args, option, value];
        var run = CliRun.Of(args);
        if (message.Length == 0)
        {
            Assert.True(run.ExitCode == 0, run.Error);
            return;
        }

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("m.json")));
    }

    [Fact]
    public void Bad_cells_and_labels_are_reported_by_line_and_column()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("text.csv"), "a,b,passed\n1,2,0\n3,oops,1\n");
        var run = CliRun.Of("train", "--train", temp.File("text.csv"), "--label", "passed", "--output", temp.File("m.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 3, column \"b\"", run.Error, StringComparison.Ordinal);

        File.WriteAllText(temp.File("nan.csv"), "a,b,passed\n1,2,0\n3,4,\n");
        run = CliRun.Of("train", "--train", temp.File("nan.csv"), "--label", "passed", "--output", temp.File("m.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 3, column \"passed\"", run.Error, StringComparison.Ordinal);

        File.WriteAllText(temp.File("constant.csv"), "a,b,passed\n1,2,1\n3,4,1\n");
        run = CliRun.Of("train", "--train", temp.File("constant.csv"), "--label", "passed", "--objective", "binary:logistic", "--output", temp.File("m.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("constant", run.Error, StringComparison.Ordinal);

        File.WriteAllText(temp.File("empty.csv"), "a,b,passed\n");
        run = CliRun.Of("train", "--train", temp.File("empty.csv"), "--label", "passed", "--output", temp.File("m.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no rows", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_writes_html_and_markdown_reports_with_calibration_and_comparison()
    {
        using var temp = new TempFolder();
        string train = WriteTable(temp.File("train.csv"), 1500, seed: 4);
        string calibrate = WriteTable(temp.File("calibrate.csv"), 600, seed: 5);
        string test = WriteTable(temp.File("test.csv"), 800, seed: 6);
        foreach (var (file, depth) in new[] { ("a.json", "4"), ("b.ubj", "2") })
        {
            var trained = CliRun.Of("train", "--train", train, "--label", "passed", "--drop", "cohort", "--objective", "binary:logistic",
                "--num-round", "40", "--max-depth", depth, "--quiet", "--output", temp.File(file));
            Assert.True(trained.ExitCode == 0, trained.Error);
        }

        string report = temp.File("report.html");
        var run = CliRun.Of("evaluate", "--model", temp.File("a.json"), "--compare", temp.File("b.ubj"), "--data", test, "--label", "passed",
            "--calibration", "sigmoid", "--calibration-data", calibrate, "--report", report);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("ROC AUC", run.Output, StringComparison.Ordinal);
        string html = File.ReadAllText(report);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(5, html.Split("<svg ").Length - 1);
        Assert.Contains("ROC curve", html, StringComparison.Ordinal);
        Assert.Contains("calibration: sigmoid", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        string markdown = File.ReadAllText(temp.File("report.md"));
        Assert.Contains("| ROC AUC |", markdown, StringComparison.Ordinal);
        Assert.Contains("b.ubj", markdown, StringComparison.Ordinal);

        var bad = CliRun.Of("evaluate", "--model", temp.File("a.json"), "--data", test, "--label", "passed", "--calibration", "beta", "--calibration-data", calibrate, "--report", report);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("sigmoid or isotonic", bad.Error, StringComparison.Ordinal);
    }

    private static string WriteTable(string path, int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("student_id,effort,attendance,peer_help,cohort,passed\n");
        for (int r = 0; r < rows; r++)
        {
            double effort = random.NextDouble(), attendance = random.NextDouble(), help = random.NextDouble();
            double logit = (3 * effort) + (2 * attendance * help) - 2.2;
            int passed = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
            string effortCell = random.NextDouble() < 0.05 ? "" : effort.ToString("R", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"S-{r:D5},{effortCell},{attendance:R},{help:R},{r % 3},{passed}\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }
}
