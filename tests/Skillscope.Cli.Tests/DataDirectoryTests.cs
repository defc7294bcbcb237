using System.Text;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// A verb run where there is no data directory says so instead of making a new, empty registry the server
/// never sees; <c>--create</c> makes one on purpose, and <c>SKILLSCOPE_DATA_DIR</c> names the usual one.
/// </summary>
public sealed class DataDirectoryTests
{
    [Fact]
    public void A_verb_that_would_only_make_an_empty_data_directory_refuses_and_says_what_to_give()
    {
        using var temp = new TempFolder();
        string missing = temp.File("elsewhere");
        string[] register = ["models", "register", "--name", "leads", "--version", "1.0.0", "--model", ParityFixtures.LogisticModel, "--data-dir", missing];

        var refused = CliRun.Of(register);
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith($"error: there is no data directory at {missing};", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--create", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
        Assert.Equal(2, CliRun.Of("models", "list", "--data-dir", missing).ExitCode);
        Assert.Equal(2, CliRun.Of("keys", "list", "--data-dir", missing).ExitCode);
        Assert.False(Directory.Exists(missing));

        var created = CliRun.Of([.. register, "--create"]);
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("leads", CliRun.Of("models", "list", "--data-dir", missing).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SKILLSCOPE_DATA_DIR_is_the_data_directory_when_none_is_given()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, CliRun.Of("models", "register", "--name", "leads", "--version", "1.0.0", "--model", ParityFixtures.LogisticModel, "--data-dir", temp.Path).ExitCode);

        var logs = new StringBuilder();
        using var process = CliProcess.Start(["models", "list"], logs, new() { ["SKILLSCOPE_DATA_DIR"] = temp.Path });
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        string printed = CliProcess.Snapshot(logs);
        Assert.True(process.ExitCode == 0, printed);
        Assert.Contains("leads", printed, StringComparison.Ordinal);
    }
}
