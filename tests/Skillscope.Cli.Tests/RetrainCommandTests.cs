using Microsoft.Data.Sqlite;
using Skillscope.Assessment.Training;
using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// <c>skillscope retrain</c> on an imported district: with ratings like those the champions learnt from,
/// no challenger wins and nothing moves; after the teachers' judgement drifts, every challenger wins on the
/// held-out students and goes into its champion's shadow; too few ratings are refused and nothing is registered.
/// </summary>
public sealed class RetrainCommandTests
{
    [Fact]
    public async Task Challengers_move_only_when_they_win_on_held_out_students_and_every_run_is_recorded()
    {
        using var folder = new TempFolder();
        string data = folder.File("data");
        Assert.Equal(0, CliRun.Of("train", "skills", "--students", "1500", "--seed", "3", "--data-dir", data).ExitCode);
        // The term before: the champions were trained on districts like it, and no challenger beats them.
        Assert.Equal(0, CliRun.Of("generate", "--students", "1500", "--seed", "4", "--terms-ago", "1", "--out", folder.File("district")).ExitCode);
        Assert.Equal(0, CliRun.Of("import", folder.File("district"), "--data-dir", data).ExitCode);

        var steady = CliRun.Of("retrain", "--data-dir", data);
        Assert.True(steady.ExitCode == 0, steady.Error + steady.Output);
        Assert.Contains("decision: held", steady.Output, StringComparison.Ordinal);
        using (var store = await StoreFactory.OpenAsync(new ServerOptions(data)))
        {
            Assert.Empty(await store.ListShadowsAsync());
            Assert.Equal(7, (await store.ListAliasesAsync()).Count(a => a.Alias == "production"));
        }

        // This term the same students' skills moved, and a new game and new classroom language show them differently:
        // what the champions learnt no longer holds, and challengers trained on the new term's ratings win.
        Assert.Equal(0, CliRun.Of("generate", "--students", "1500", "--seed", "4", "--drift", "1", "--out", folder.File("next-term")).ExitCode);
        Assert.Equal(0, CliRun.Of("import", folder.File("next-term"), "--data-dir", data).ExitCode);
        var drifted = CliRun.Of("retrain", "--data-dir", data);
        Assert.True(drifted.ExitCode == 0, drifted.Error + drifted.Output);
        using (var store = await StoreFactory.OpenAsync(new ServerOptions(data)))
        {
            var runs = await store.Assessments.RetrainRuns.ListAsync(10);
            Assert.Equal([RetrainReport.Shadowed, RetrainReport.Held], runs.Select(r => r.Report!.Decision));
            var skills = runs[0].Report!.Skills;
            var better = skills.Where(s => s.Comparison!.Verdict == ChallengerVerdict.Better).ToList();
            Assert.True(better.Count >= 3, drifted.Output);
            Assert.DoesNotContain(skills, s => s.Comparison!.Verdict == ChallengerVerdict.Worse);
            Assert.All(better, s => Assert.True(s.Step == SkillRetrain.Shadow && (s.Comparison!.Auc.Low > 0 || s.Comparison.LogLoss.High < 0), $"{s.Skill}: {s.Comparison}"));

            var shadows = await store.ListShadowsAsync();
            Assert.Equal(better.Select(s => s.Model).Order(StringComparer.Ordinal), shadows.Select(s => s.Name).Order(StringComparer.Ordinal));
            var production = (await store.ListAliasesAsync()).Where(a => a.Alias == "production").ToDictionary(a => a.Name, a => a.Version);
            Assert.All(shadows, s => Assert.NotEqual(production[s.Name], s.Version));
            var audit = await store.ListAuditAsync(200);
            Assert.Equal(2, audit.Count(a => a.Action == "retrain.run"));
            Assert.Equal(better.Count, audit.Count(a => a.Action == "shadow.set"));
        }

        // Too few rated students: refused, recorded, nothing registered.
        string small = folder.File("small");
        Assert.Equal(0, CliRun.Of("generate", "--students", "300", "--seed", "5", "--out", folder.File("small-district")).ExitCode);
        Assert.Equal(0, CliRun.Of("import", folder.File("small-district"), "--data-dir", small).ExitCode);
        var refused = CliRun.Of("retrain", "--data-dir", small);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("too few rated students", refused.Error, StringComparison.Ordinal);
        using (var store = await StoreFactory.OpenAsync(new ServerOptions(small)))
        {
            Assert.Empty(await store.ListVersionsAsync());
            Assert.Equal(RetrainRun.Refused, Assert.Single(await store.Assessments.RetrainRuns.ListAsync(10)).Status);
        }

        SqliteConnection.ClearAllPools();
    }
}
