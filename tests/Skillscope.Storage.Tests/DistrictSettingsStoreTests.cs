using System.Text.Json;
using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Privacy;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Settings;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>
/// Districts' own settings as stored: versioned and audited per district, refused when invalid or over an older version;
/// each district's transcripts kept for its own period; its daily LLM limit kept by every writer together.
/// </summary>
public sealed class DistrictSettingsStoreTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Settings_are_versioned_per_district_refused_when_invalid_or_stale_and_audited(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var book = new DistrictSettingsBook(stores.Store.Assessments.DistrictSettings);
        var replica = new DistrictSettingsBook(stores.Store.Assessments.DistrictSettings);
        await book.RefreshAsync();
        Assert.Null(book.For("d1"));
        Assert.Equal(SkillBands.Default, book.BandsOf("d1"));

        var wanted = Read("""{"bands": {"strength_at": 0.8, "growth_below": 0.3}, "transcript_days": 30, "llm": false}""");
        var saved = await book.UpdateAsync("d1", wanted, "key:k1", basedOn: 0, Now);
        Assert.Equal((1L, "key:k1"), (saved.Version, saved.UpdatedBy));
        await replica.RefreshAsync();
        Assert.Equal(new SkillBands(0.8, 0.3), replica.BandsOf("d1"));
        Assert.Equal(SkillBands.Default, replica.BandsOf("d2"));
        Assert.Equal(30, replica.TranscriptDays()["d1"]);
        Assert.Equal(new AppliedSettings("d1:1", "d1", new SkillBands(0.8, 0.3), false, null), replica.AppliedTo("d1"));
        Assert.Null(replica.AppliedTo("d2"));

        // A change based on version 0 after version 1 exists is refused, from either replica.
        var stale = await Assert.ThrowsAsync<DistrictSettingsException>(() => replica.UpdateAsync("d1", wanted, "key:k2", basedOn: 0, Now));
        Assert.Equal("version_conflict", stale.Code);
        var second = await replica.UpdateAsync("d1", Read("""{"llm_feedback_per_day": 100}"""), "key:k2", basedOn: 1, Now);
        Assert.Equal(2, second.Version);
        await book.RefreshAsync();
        Assert.Equal(SkillBands.Default, book.BandsOf("d1"));
        Assert.Equal(100, book.AppliedTo("d1")!.LlmFeedbackPerDay);

        Assert.Equal(DistrictRemoval.Conflict, await book.RemoveAsync("d1", "key:k1", Now, basedOn: 1));
        Assert.Equal(DistrictRemoval.Removed, await book.RemoveAsync("d1", "key:k1", Now, basedOn: 2));
        Assert.Equal(DistrictRemoval.NoneOfItsOwn, await book.RemoveAsync("d1", "key:k1", Now));
        Assert.Null(book.For("d1"));

        // The removal is version 3: a change based on what was read before it is refused, and the next is version 4.
        Assert.Equal(3, book.VersionOf("d1"));
        Assert.Equal("version_conflict", (await Assert.ThrowsAsync<DistrictSettingsException>(() => replica.UpdateAsync("d1", wanted, "key:k2", basedOn: 2, Now))).Code);
        Assert.Equal("d1:4", (await replica.UpdateAsync("d1", wanted, "key:k2", basedOn: 3, Now)).VersionOf("d1"));
        Assert.Equal(DistrictRemoval.Removed, await replica.RemoveAsync("d1", "key:k2", Now));
        var audit = await stores.Store.ListAuditAsync();
        Assert.Equal(3, audit.Count(a => a.Action == "settings.district.update" && a.Subject == "district:d1"));
        Assert.Equal(2, audit.Count(a => a.Action == "settings.district.remove"));
    }

    [Theory]
    [InlineData("""{"bands": {"strength_at": 0.4, "growth_below": 0.5}}""", "growth_below")]
    [InlineData("""{"bands": {"strength_at": 1.2, "growth_below": 0.5}}""", "strength_at")]
    [InlineData("""{"bands": {"strength_at": 0.7}}""", "bands are")]
    [InlineData("""{"bands": {"strength_at": "0.7", "growth_below": 0.3}}""", "bands are")]
    [InlineData("""{"bands": {"strength_at": 0.7, "growth_below": null}}""", "bands are")]
    [InlineData("""{"bands": {"strength_at": 0.7, "growth_below": 0.3, "mid": 0.5}}""", "bands are")]
    [InlineData("""{"transcript_days": 0}""", "transcript_days")]
    [InlineData("""{"transcript_days": 1.5}""", "whole number")]
    [InlineData("""{"llm": "yes"}""", "true or false")]
    [InlineData("""{"llm_feedback_per_day": -1}""", "llm_feedback_per_day")]
    [InlineData("""{"retention": 30}""", "not a district setting")]
    public void Invalid_settings_are_refused_naming_the_setting(string json, string named)
    {
        var refused = Assert.Throws<DistrictSettingsException>(() => Read(json));
        Assert.Equal("invalid_settings", refused.Code);
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Each_district_keeps_transcripts_for_its_own_period_and_the_rest_for_the_installations(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store.Assessments;
        await store.Evidence.UpsertRosterAsync(new RosterRows(
            [new District("d1", "North"), new District("d2", "South"), new District("d3", "East")],
            [new School("s1", "d1", "Hill"), new School("s2", "d2", "Vale"), new School("s3", "d3", "Shore")],
            [new Teacher("t1", "s1", "Ana Rivera", "ana@school.example")],
            [new SchoolClass("c1", "s1", "4A", 4, "t1"), new SchoolClass("c2", "s2", "4B", 4, "t1"), new SchoolClass("c3", "s3", "4C", 4, "t1")],
            [new Student("a", "c1", "Maya", "Okafor", 4), new Student("b", "c2", "Will", "Brown", 4), new Student("c", "c3", "Ines", "Moreau", 4)]));

        // Every student said something 40 days ago and yesterday.
        var utterances = new List<Utterance>();
        foreach (string student in (string[])["a", "b", "c"])
        {
            utterances.Add(new Utterance(student, "old", Now.AddDays(-40), "written", $"{student} said this long ago."));
            utterances.Add(new Utterance(student, "new", Now.AddDays(-1), "written", $"{student} said this yesterday."));
        }

        await store.Evidence.AddEvidenceAsync(utterances, [], []);
        var retention = new TranscriptRetention(store.Privacy, store.Evidence, store.Records);

        // d1 keeps 30 days, d2 365; the installation (d3) 60: only a's old sentence is past its period.
        var kept = new Dictionary<string, int>(StringComparer.Ordinal) { ["d1"] = 30, ["d2"] = 365 };
        var result = await retention.ApplyAsync(60, kept, Now);
        Assert.Equal((1, 1), (result.UtterancesDeleted, result.Students));
        Assert.Equal(1, await CountAsync(store, "a"));
        Assert.Equal(2, await CountAsync(store, "b"));
        Assert.Equal(2, await CountAsync(store, "c"));

        // The installation at 20 days: c loses its old sentence, b keeps its own 365 days.
        result = await retention.ApplyAsync(20, kept, Now);
        Assert.Equal((1, 1), (result.UtterancesDeleted, result.Students));
        Assert.Equal((2, 1), (await CountAsync(store, "b"), await CountAsync(store, "c")));

        // With the installation keeping everything, a district's own period still applies.
        kept["d2"] = 10;
        result = await retention.ApplyAsync(null, kept, Now);
        Assert.Equal((1, 1), (result.UtterancesDeleted, result.Students));
        Assert.Equal(1, await CountAsync(store, "b"));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task A_districts_daily_llm_limit_holds_across_concurrent_writers_and_starts_again_each_day(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var usage = stores.Store.Assessments.DistrictLlmUsage;
        var day = new DateOnly(2026, 12, 1);
        var taken = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ => await usage.TryTakeAsync("d1", day, 5)));
        Assert.Equal(5, taken.Count(t => t));
        Assert.False(await usage.TryTakeAsync("d1", day, 5));
        Assert.True(await usage.TryTakeAsync("d1", day, 6));
        Assert.True(await usage.TryTakeAsync("d2", day, 5));
        Assert.True(await usage.TryTakeAsync("d1", day.AddDays(1), 5));
        Assert.False(await usage.TryTakeAsync("d3", day, 0));
    }

    private static DistrictSettings Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return DistrictSettings.Read(document.RootElement, 0, Now, "test");
    }

    private static async Task<int> CountAsync(SqlAssessmentStores store, string student) =>
        (await store.Evidence.LoadEvidenceAsync([student])).Single().Utterances.Count;
}
