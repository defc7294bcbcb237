using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary><c>skillscope models register</c> run again: the same files change nothing; other contents under the same version are refused.</summary>
public sealed class ModelsRegisterTests
{
    [Fact]
    public void Registering_the_same_model_file_twice_is_a_no_op_that_says_so()
    {
        using var temp = new TempFolder();
        string[] register = ["models", "register", "--name", "lead_conversion", "--version", "1.0.0", "--model", ParityFixtures.LogisticModel, "--description", "Leads", "--data-dir", temp.Path];

        var first = CliRun.Of(register);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.StartsWith("registered lead_conversion 1.0.0", first.Output, StringComparison.Ordinal);

        var again = CliRun.Of(register);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.StartsWith("lead_conversion 1.0.0 is registered already with the same contents: nothing changed", again.Output, StringComparison.Ordinal);
        Assert.Contains(first.Output.Split('\n')[1].Trim(), again.Output, StringComparison.Ordinal);

        var changed = CliRun.Of([.. register.Select(a => a == "Leads" ? "Other leads" : a)]);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("version_exists", changed.Error, StringComparison.Ordinal);

        var listed = CliRun.Of("models", "list", "--data-dir", temp.Path);
        Assert.Single(listed.Output.Split('\n'), line => line.StartsWith("lead_conversion", StringComparison.Ordinal));
    }

    [Fact]
    public void Models_show_lists_the_features_a_version_takes_from_its_schema()
    {
        using var temp = new TempFolder();
        // The fixture model takes feat_0 … feat_11.
        var features = new List<object>
        {
            new { name = "feat_0", type = "int", minimum = 0, maximum = 120, description = "Months as a customer" },
            new { name = "feat_1", type = "bool" },
            new { name = "feat_2", type = "float", minimum = 0 },
        };
        features.AddRange(Enumerable.Range(3, 9).Select(i => new { name = $"feat_{i}" }));
        File.WriteAllText(temp.File("schema.json"), System.Text.Json.JsonSerializer.Serialize(new { features, invalid_values = "clip", minimum_coverage = 0.5 }));
        string model = ParityFixtures.LogisticModel;
        var registered = CliRun.Of("models", "register", "--name", "churn", "--version", "1.0.0", "--model", model, "--schema", temp.File("schema.json"), "--data-dir", temp.Path);
        Assert.True(registered.ExitCode == 0, registered.Error);

        var shown = CliRun.Of("models", "show", "--name", "churn", "--data-dir", temp.Path);
        Assert.True(shown.ExitCode == 0, shown.Error);
        var lines = shown.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("features of churn 1.0.0 (schema 1; invalid values: clip; minimum coverage 0.5):", lines);
        Assert.Contains(lines, l => l.StartsWith("feat_0 ", StringComparison.Ordinal) && l.Contains("int", StringComparison.Ordinal) && l.Contains("[0, 120]", StringComparison.Ordinal) && l.EndsWith("Months as a customer", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("feat_1 ", StringComparison.Ordinal) && l.EndsWith("bool", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("feat_2 ", StringComparison.Ordinal) && l.EndsWith("[0, ∞]", StringComparison.Ordinal));
        Assert.Equal(1, CliRun.Of("models", "show", "--name", "churn", "--version", "2.0.0", "--data-dir", temp.Path).ExitCode);
    }
}
