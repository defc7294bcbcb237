using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary><c>skillscope train skills</c> leaves seven promoted skill models and a report; a rerun adds nothing.</summary>
public sealed class TrainSkillsCommandTests
{
    [Fact]
    public async Task Seven_skill_models_are_trained_evaluated_registered_and_promoted()
    {
        using var folder = new TempFolder();
        string data = folder.File("data");
        var run = CliRun.Of("train", "skills", "--students", "600", "--seed", "3", "--data-dir", data);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(File.Exists(Path.Combine(data, "reports", "skills.html")));

        var again = CliRun.Of("train", "skills", "--students", "600", "--seed", "3", "--data-dir", data);
        Assert.Equal(0, again.ExitCode);

        using var store = await StoreFactory.OpenAsync(new ServerOptions(data));
        var aliases = await store.ListAliasesAsync();
        Assert.Equal(7, aliases.Count(a => a.Alias == "production" && a.Name.StartsWith("skill_", StringComparison.Ordinal)));
        Assert.Equal(7, (await store.ListVersionsAsync()).Count);
        Assert.Equal(2, CliRun.Of("train", "skills", "--students", "50", "--data-dir", data).ExitCode);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
