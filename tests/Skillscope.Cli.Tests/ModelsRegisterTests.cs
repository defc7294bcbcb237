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

    [Fact]
    public void Training_data_given_at_registration_is_the_versions_reference_and_a_shadow_is_set_and_stopped()
    {
        using var temp = new TempFolder();
        var random = new Random(8);
        var lines = new List<string> { "id,label," + string.Join(",", Enumerable.Range(0, 12).Select(i => $"feat_{i}")) };
        for (int r = 0; r < 500; r++)
        {
            lines.Add($"row{r},{r % 2}," + string.Join(",", Enumerable.Range(0, 12).Select(i => i == 3 && r % 4 == 0 ? "" : (random.NextDouble() * 10).ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
        }

        File.WriteAllLines(temp.File("train.csv"), lines);
        File.WriteAllLines(temp.File("short.csv"), ["feat_0,feat_1", "1,2"]);
        string[] register = ["models", "register", "--name", "lead_conversion", "--version", "1.0.0", "--model", ParityFixtures.LogisticModel, "--data-dir", temp.Path];

        // A file that cannot be the reference is refused by name before anything is registered.
        var refused = CliRun.Of([.. register, "--reference-data", temp.File("short.csv")]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("lacks the model's feature \"feat_2\"", refused.Error, StringComparison.Ordinal);
        Assert.Contains("no models registered", CliRun.Of("models", "list", "--data-dir", temp.Path).Output, StringComparison.Ordinal);

        var registered = CliRun.Of([.. register, "--reference-data", temp.File("train.csv")]);
        Assert.True(registered.ExitCode == 0, registered.Error);
        Assert.Contains("reference:      500 rows of training data", registered.Output, StringComparison.Ordinal);
        var shown = CliRun.Of("models", "show", "--name", "lead_conversion", "--data-dir", temp.Path);
        Assert.Contains("reference profile of lead_conversion 1.0.0: 500 rows (training data,", shown.Output, StringComparison.Ordinal);
        Assert.Contains(shown.Output.Split('\n'), l => l.TrimStart().StartsWith("feat_3 ", StringComparison.Ordinal) && l.Contains("25.0 %", StringComparison.Ordinal));

        // Registered again with other data: the reference it has stays.
        var again = CliRun.Of([.. register, "--reference-data", temp.File("train.csv")]);
        Assert.Contains("kept the one it has (training_data, 500 rows", again.Output, StringComparison.Ordinal);

        Assert.Equal(0, CliRun.Of("models", "register", "--name", "lead_conversion", "--version", "1.1.0", "--model", ParityFixtures.LogisticModel, "--data-dir", temp.Path).ExitCode);
        var shadow = CliRun.Of("models", "shadow", "--name", "lead_conversion", "--version", "1.1.0", "--percent", "25", "--cuts", "0.3,0.6", "--data-dir", temp.Path);
        Assert.True(shadow.ExitCode == 0, shadow.Error);
        Assert.Contains("lead_conversion: shadow 1.1.0 on 25% of rows, bands cut at 0.3, 0.6", shadow.Output, StringComparison.Ordinal);
        Assert.Contains("shadow 1.1.0 on 25% of rows", CliRun.Of("models", "show", "--name", "lead_conversion", "--data-dir", temp.Path).Output, StringComparison.Ordinal);
        var badCuts = CliRun.Of("models", "shadow", "--name", "lead_conversion", "--version", "1.1.0", "--cuts", "0.6,0.3", "--data-dir", temp.Path);
        Assert.Equal(1, badCuts.ExitCode);
        Assert.Contains("ascending", badCuts.Error, StringComparison.Ordinal);
        Assert.Contains("shadow stopped", CliRun.Of("models", "shadow", "--name", "lead_conversion", "--stop", "--data-dir", temp.Path).Output, StringComparison.Ordinal);
        Assert.Contains("had no shadow", CliRun.Of("models", "shadow", "--name", "lead_conversion", "--stop", "--data-dir", temp.Path).Output, StringComparison.Ordinal);
    }
}
