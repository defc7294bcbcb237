using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Skillscope.Assessment.Fusion;
using Skillscope.Server.Hosting;
using Skillscope.Server.Security;
using Skillscope.Storage;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// <c>skillscope fusion fit</c> and <c>fusion apply</c> on an assessed district: ratings that lean on behaviour
/// move the weights toward it with a cross-validated gain; a proposal applies once; too few ratings are refused.
/// </summary>
public sealed class FusionFitCommandTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public async Task Ratings_that_lean_on_behaviour_are_fitted_proposed_applied_once_and_too_few_are_refused()
    {
        string database = Path.Combine(district.DataDirectory, "skillscope.db");
        await RateByBehaviourAsync(database);

        var fit = CliRun.Of("fusion", "fit", "--data-dir", district.DataDirectory);
        Assert.True(fit.ExitCode == 0, fit.Error + fit.Output);
        Assert.Contains("proposal 1 stored", fit.Output, StringComparison.Ordinal);
        FusionProposal proposal;
        using (var store = SqlRegistryStore.Sqlite(database))
        {
            proposal = Assert.Single(await store.Assessments.FusionProposals.ListAsync(10));
        }

        Assert.Equal(1, proposal.BaseVersion);
        Assert.Equal(7, proposal.Skills.Count);
        foreach (var skill in proposal.Skills)
        {
            Assert.True(skill.Students >= FusionFit.MinimumStudents, $"{skill.Skill}: {skill.Students}");
            Assert.Null(skill.Kept);
            Assert.True(skill.Proposed.Behavioral > skill.Current.Behavioral, $"{skill.Skill}: behavioral {skill.Proposed.Behavioral}");
            Assert.True(skill.CvRProposed > skill.CvRCurrent, $"{skill.Skill}: r {skill.CvRCurrent} -> {skill.CvRProposed}");
        }

        // The district's own fit: its students alone, over its weights in force (the installation's, as its version 0).
        Assert.Equal(1, CliRun.Of("fusion", "fit", "--district", "nowhere", "--data-dir", district.DataDirectory).ExitCode);
        var own = CliRun.Of("fusion", "fit", "--district", "d1", "--data-dir", district.DataDirectory);
        Assert.True(own.ExitCode == 0, own.Error + own.Output);
        Assert.Contains("fitted over the installation's weights version 1 (district d1 has none of its own; its version 0)", own.Output, StringComparison.Ordinal);
        Assert.Contains("proposal 2 stored", own.Output, StringComparison.Ordinal);
        string key;
        using (var store = SqlRegistryStore.Sqlite(database))
        {
            var districts = await store.Assessments.FusionProposals.ListAsync(10, "d1");
            Assert.Equal(("d1", 0L), (Assert.Single(districts).DistrictId, districts[0].BaseVersion));
            Assert.All(districts[0].Skills, s => Assert.True(s.Proposed.Behavioral > s.Current.Behavioral, s.Skill));
            (_, key) = await ApiKeys.CreateAsync(store, Roles.Admin, "d1-admin", "test", districtId: "d1");
        }

        // That district's admin sees and applies its own proposal, not the installation's; the installation's weights stay.
        await using (var served = await ServedHost.StartAsync(district.DataDirectory))
        {
            using var admin = served.Client(key);
            using (var listed = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/districts/d1/fusion/proposals")))
            {
                Assert.Equal([2L], listed.RootElement.GetProperty("proposals").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
            }

            Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/districts/d1/fusion/proposals/1/apply", null)).StatusCode);
            using (var installationAdmin = served.Client(district.AdminKey))
            {
                // The installation's route applies the installation's proposals only.
                Assert.Equal(HttpStatusCode.NotFound, (await installationAdmin.PostAsync("/api/v1/fusion/proposals/2/apply", null)).StatusCode);
            }

            using (var applyOwn = await admin.PostAsync("/api/v1/districts/d1/fusion/proposals/2/apply", null))
            {
                string body = await applyOwn.Content.ReadAsStringAsync();
                Assert.True(applyOwn.StatusCode == HttpStatusCode.OK, body);
                using var weightsNow = JsonDocument.Parse(body);
                Assert.Equal((true, 1L), (weightsNow.RootElement.GetProperty("own").GetBoolean(), weightsNow.RootElement.GetProperty("version").GetInt64()));
            }

            Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/api/v1/districts/d1/fusion/proposals/2/apply", null)).StatusCode);

            // Back to the installation's: the removal is the district's version 2, so no number is used twice.
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/districts/d1/fusion/weights")).StatusCode);
            using var after = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/districts/d1/fusion/weights"));
            Assert.Equal((false, 2L), (after.RootElement.GetProperty("own").GetBoolean(), after.RootElement.GetProperty("district_version").GetInt64()));
        }

        Assert.Contains("\"version\": 1", await File.ReadAllTextAsync(Path.Combine(district.DataDirectory, "fusion-weights.json")), StringComparison.Ordinal);
        var refit = CliRun.Of("fusion", "fit", "--district", "d1", "--data-dir", district.DataDirectory);
        Assert.True(refit.ExitCode == 0, refit.Error + refit.Output);
        Assert.Contains("fitted over the installation's weights version 1 (district d1 has none of its own; its version 2)", refit.Output, StringComparison.Ordinal);
        Assert.Contains("proposal 3 stored", refit.Output, StringComparison.Ordinal);

        var applied = CliRun.Of("fusion", "apply", "1", "--data-dir", district.DataDirectory);
        Assert.True(applied.ExitCode == 0, applied.Error);
        Assert.Contains("fusion weights version 2", applied.Output, StringComparison.Ordinal);
        string weights = await File.ReadAllTextAsync(Path.Combine(district.DataDirectory, "fusion-weights.json"));
        Assert.Contains("\"version\": 2", weights, StringComparison.Ordinal);
        var again = CliRun.Of("fusion", "apply", "1", "--data-dir", district.DataDirectory);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("applied already", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, CliRun.Of("fusion", "apply", "9", "--data-dir", district.DataDirectory).ExitCode);

        // The district's fit over the installation's version 1 no longer applies: those weights changed since.
        var stale = CliRun.Of("fusion", "apply", "3", "--data-dir", district.DataDirectory);
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("changed since proposal 3", stale.Error, StringComparison.Ordinal);

        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync();
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM teacher_ratings WHERE student_id IN (SELECT id FROM students ORDER BY id LIMIT 150)";
            await delete.ExecuteNonQueryAsync();
        }

        var refused = CliRun.Of("fusion", "fit", "--data-dir", district.DataDirectory);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("too few ratings", refused.Error, StringComparison.Ordinal);
        using (var store = SqlRegistryStore.Sqlite(database))
        {
            Assert.Single(await store.Assessments.FusionProposals.ListAsync(10));
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>Each student's rating in a skill becomes the quartile (1–4) of their behavioural score in it: teachers who judge by behaviour.</summary>
    private static async Task RateByBehaviourAsync(string database)
    {
        IReadOnlyDictionary<string, IReadOnlyList<FusionSample>> samples;
        using (var store = SqlRegistryStore.Sqlite(database))
        {
            samples = await store.Assessments.FusionFitInputs.RatedSamplesAsync();
        }

        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE teacher_ratings SET rating = $rating WHERE student_id = $student AND skill = $skill";
        var rating = update.Parameters.Add("$rating", SqliteType.Integer);
        var student = update.Parameters.Add("$student", SqliteType.Text);
        var skill = update.Parameters.Add("$skill", SqliteType.Text);
        foreach (var (name, rated) in samples)
        {
            var ordered = rated.Where(s => s.Behavioral is not null).OrderBy(s => s.Behavioral).ToList();
            for (int i = 0; i < ordered.Count; i++)
            {
                (rating.Value, student.Value, skill.Value) = (1 + (4 * i / ordered.Count), ordered[i].StudentId, name);
                await update.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }
}
