using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// The README's shell examples run as written, in bash, in a fresh folder where <c>./skillscope</c> is this
/// build: the tree engine's commands, serving a model of one's own (register, promote, key, serve, score,
/// register a second version with a schema, promote, roll back, split), and the calls against a demo's
/// server. The only changes are the ones a reader makes: files the text assumes exist are made first,
/// the port is a free one, the key the text says to copy is copied, and the server is waited for.
/// </summary>
public sealed partial class ReadmeExamplesTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public void The_tree_engine_examples_run_as_written()
    {
        using var folder = new TempFolder();
        WriteLabelled(folder.File("train.csv"), 600, seed: 1, label: "passed");
        WriteLabelled(folder.File("valid.csv"), 200, seed: 2, label: "passed");
        WriteLabelled(folder.File("test.csv"), 200, seed: 3, label: "passed");
        WriteLabelled(folder.File("calib.csv"), 200, seed: 4, label: "passed");
        WriteLabelled(folder.File("rows.csv"), 20, seed: 5, label: null);

        // The text scores model.json and model.ubj before it trains one: models "saved by save_model" it assumes at hand.
        Cli("train", "--train", folder.File("train.csv"), "--label", "passed", "--num-round", "20", "--output", folder.File("model.json"));
        Cli("train", "--train", folder.File("train.csv"), "--label", "passed", "--num-round", "20", "--output", folder.File("model.ubj"));

        string output = RunBlock(folder, Block("./skillscope predict --model model.json"));
        Assert.True(File.Exists(folder.File("scores.csv")), output);
        Assert.True(File.Exists(folder.File("contribs.csv")), output);
        Assert.True(File.Exists(folder.File("report.html")), output);
        Assert.True(File.Exists(folder.File("report.md")), output);
    }

    [Fact]
    public void Serving_a_model_of_ones_own_runs_as_written()
    {
        using var folder = new TempFolder();
        WriteChurn(folder.File("churn.csv"), 800, seed: 11);
        Cli("train", "--train", folder.File("churn.csv"), "--label", "churned", "--num-round", "30", "--output", folder.File("churn.json"));
        Cli("train", "--train", folder.File("churn.csv"), "--label", "churned", "--num-round", "40", "--max-depth", "4", "--output", folder.File("churn2.ubj"));
        File.WriteAllText(folder.File("schema.json"), SchemaFromApiDocs());

        int port = CliProcess.FreePort();
        string block = Block("./skillscope models register --name churn --version 1.0.0")
            .Replace("127.0.0.1:8080", $"127.0.0.1:{port}", StringComparison.Ordinal);
        string output = RunBlock(folder, block);

        // Scored over HTTP, then 1.1.0 promoted, rolled back to 1.0.0, split 90/10 and shadowing — every step said so.
        Assert.Contains("\"score\":", output, StringComparison.Ordinal);
        Assert.Contains("skillscope_items_scored_total{model=\"churn\",version=\"1.0.0\"} 1", output, StringComparison.Ordinal);
        Assert.Contains("churn:production → 1.1.0 (was 1.0.0)", output, StringComparison.Ordinal);
        // Once as the first promotion, once as the rollback to it.
        Assert.Equal(2, output.Split('\n').Count(line => line.TrimEnd() == "churn:production → 1.0.0"));
        Assert.Contains("churn: 1.0.0=90%, 1.1.0=10% (sticky by entity id)", output, StringComparison.Ordinal);
        Assert.Contains("churn: shadow 1.1.0 on 100% of rows, bands cut at 0.5; its answers are compared, never returned", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_calls_against_the_demo_run_as_written()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var folder = new TempFolder();
        string block = Block("curl -H \"Authorization: Bearer $KEY\" \"http://127.0.0.1:8080/api/v1/students?q=garcia\"")
            .Replace("http://127.0.0.1:8080", served.Address.ToString().TrimEnd('/'), StringComparison.Ordinal);

        // The text says to set KEY from the demo's last line; curl -f turns any refusal into a failure.
        string output = RunBlock(folder, block.Replace("curl ", "curl -sSf ", StringComparison.Ordinal), $"KEY={district.AdminKey}");
        Assert.Contains("\"students\":", output, StringComparison.Ordinal);
        Assert.Contains("\"assessment\":", output, StringComparison.Ordinal);
        Assert.Contains("\"skills\":", output, StringComparison.Ordinal);
    }

    /// <summary>The README's fenced bash block that contains <paramref name="marker"/>.</summary>
    private static string Block(string marker)
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root(), "README.md"));
        var blocks = BashBlock().Matches(readme).Select(m => m.Groups[1].Value).Where(b => b.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.True(blocks.Count == 1, $"the README has {blocks.Count} bash blocks with \"{marker}\"");
        return blocks[0];
    }

    /// <summary>
    /// Runs <paramref name="block"/> in bash in <paramref name="folder"/>, failing on the first failed command.
    /// A server started with <c>&amp;</c> is waited for (a reader waits for it too) and stopped at the end;
    /// the key printed by <c>keys create</c> becomes <c>KEY</c>, as the text says to do.
    /// </summary>
    private static string RunBlock(TempFolder folder, string block, string? prelude = null)
    {
        var script = new StringBuilder("set -euo pipefail\nchmod +x skillscope\ntrap 'kill $(jobs -p) 2>/dev/null || true; wait' EXIT\n");
        script.AppendLine(prelude);
        foreach (string raw in block.Split('\n'))
        {
            string line = raw.TrimEnd();
            if (line.Contains("./skillscope keys create", StringComparison.Ordinal))
            {
                script.AppendLine($"KEY=$({StripComment(line)} | tail -1)");
                continue;
            }

            script.AppendLine(line);
            if (line.Contains("./skillscope serve", StringComparison.Ordinal) && ServeUrl().Match(line) is { Success: true } url)
            {
                script.AppendLine($"for i in $(seq 1 300); do curl -sf {url.Groups[1].Value}/health/ready >/dev/null && break; sleep 0.2; done");
            }
        }

        File.WriteAllText(folder.File("skillscope"), $"#!/bin/sh\nexec dotnet \"{typeof(CliApp).Assembly.Location}\" \"$@\"\n");
        File.WriteAllText(folder.File("example.sh"), script.ToString());

        var start = new ProcessStartInfo("bash", ["example.sh"]) { WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        // The reader's own settings must not leak in: the examples use ./skillscope-data and no collector.
        foreach (string name in start.Environment.Keys.Where(n => n.StartsWith("SKILLSCOPE_", StringComparison.Ordinal) || n.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["Batch__Schedule"] = "off";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        string output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"the example failed ({process.ExitCode}):\n{script}\n--- output ---\n{output}");
        return output;
    }

    private static string StripComment(string line) => line.Split(" #", 2)[0].TrimEnd();

    private static void Cli(params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.True(run.ExitCode == 0, $"{string.Join(' ', args)}: {run.Error}{run.Output}");
    }

    /// <summary>A labelled table: four numeric features, some missing, and a 0/1 label that depends on them.</summary>
    private static void WriteLabelled(string path, int rows, int seed, string? label)
    {
        var random = new Random(seed);
        var text = new StringBuilder(label is null ? "hours,attempts,score,absences\n" : $"hours,attempts,score,absences,{label}\n");
        for (int i = 0; i < rows; i++)
        {
            double hours = random.NextDouble() * 20, score = random.NextDouble() * 100;
            int attempts = random.Next(1, 6), absences = random.Next(0, 15);
            text.Append(CultureInfo.InvariantCulture, $"{hours:F2},{attempts},{(random.NextDouble() < 0.1 ? "" : score.ToString("F1", CultureInfo.InvariantCulture))},{absences}");
            if (label is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $",{(hours * 3 + score * 0.5 - absences * 2 + random.NextDouble() * 20 > 50 ? 1 : 0)}");
            }

            text.Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Customers with the README's three features (tenure, plan, tickets) and whether they churned.</summary>
    private static void WriteChurn(string path, int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("tenure,plan,tickets,churned\n");
        for (int i = 0; i < rows; i++)
        {
            int tenure = random.Next(0, 121), plan = random.Next(0, 4);
            double tickets = random.Next(0, 12);
            bool churned = tickets * 0.4 - tenure * 0.03 + plan * 0.2 + random.NextDouble() * 2 > 1.2;
            text.Append(CultureInfo.InvariantCulture, $"{tenure},{plan},{(random.NextDouble() < 0.1 ? "" : tickets.ToString(CultureInfo.InvariantCulture))},{(churned ? 1 : 0)}\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>The schema file as docs/API.md shows it: what a reader copies for <c>--schema schema.json</c>.</summary>
    private static string SchemaFromApiDocs()
    {
        string api = File.ReadAllText(Path.Combine(RepositoryFiles.Root(), "docs", "API.md"));
        int at = api.IndexOf("### The feature schema file", StringComparison.Ordinal);
        Assert.True(at >= 0, "docs/API.md has no section on the schema file");
        var json = JsonBlock().Match(api, at);
        Assert.True(json.Success, "the schema section shows no JSON example");
        return json.Groups[1].Value;
    }

    [GeneratedRegex("```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex("--urls (http://[0-9.:]+)")]
    private static partial Regex ServeUrl();
}
