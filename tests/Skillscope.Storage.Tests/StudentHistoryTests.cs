using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Support;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>"Students to check on" from what is stored: the latest two scores per skill, within the reader's scope.</summary>
public sealed class StudentHistoryTests
{
    private static readonly DateTime Monday = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Growth_areas_band_drops_and_thin_evidence_are_found_per_class_and_school_within_scope(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store.Assessments;
        await store.Evidence.UpsertRosterAsync(new RosterRows(
            [new District("d1", "North")], [new School("s1", "d1", "Hill School")],
            [new Teacher("t1", "s1", "Ana Rivera", "ana@school.example"), new Teacher("t2", "s1", "Bo Lind", "bo@school.example")],
            [new SchoolClass("c1", "s1", "5A", 5, "t1"), new SchoolClass("c2", "s1", "5B", 5, "t2")],
            [new Student("a", "c1", "Maya", "Okafor", 5), new Student("b", "c1", "Will", "Brown", 5), new Student("c", "c2", "Ines", "Moreau", 5), new Student("d", "c2", "Tom", "Kerr", 5)]));

        // a: empathy was a strength, now developing. b: two growth areas. c: too little evidence in two skills. d: nothing to check.
        await store.Records.SaveAssessmentsAsync([Assessment("a", Monday, ("empathy", 0.8, 0.9), ("collaboration", 0.5, 0.9))]);
        await store.Records.SaveAssessmentsAsync([
            Assessment("a", Monday.AddDays(7), ("empathy", 0.5, 0.9), ("collaboration", 0.55, 0.9)),
            Assessment("b", Monday.AddDays(7), ("empathy", 0.2, 0.9), ("collaboration", 0.3, 0.9), ("communication", 0.7, 0.9)),
            Assessment("c", Monday.AddDays(7), ("empathy", 0.5, 0.2), ("collaboration", 0.6, 0.1)),
            Assessment("d", Monday.AddDays(7), ("empathy", 0.7, 0.9), ("collaboration", 0.6, 0.8)),
        ]);

        var inClass = await store.Histories.OfClassAsync("c1", RosterScope.Everything);
        Assert.Equal(["a", "b"], inClass.Select(s => s.StudentId));
        var empathy = inClass[0].Skills.Single(s => s.Skill == "empathy");
        Assert.Equal((0.5, 0.8), (empathy.Fused, empathy.PreviousFused));
        Assert.Null(inClass[1].Skills.Single(s => s.Skill == "empathy").PreviousFused);

        var school = CheckOnRules.Apply(await store.Histories.OfSchoolAsync("s1", RosterScope.Everything), _ => SkillBands.Default);
        Assert.Equal(["a", "b", "c"], school.Select(s => s.StudentId).Order(StringComparer.Ordinal));
        Assert.Equal([CheckOnReason.BandDrop], school.Single(s => s.StudentId == "a").Reasons.Select(r => r.Code));
        Assert.Contains("empathy (strength → developing)", school.Single(s => s.StudentId == "a").Reasons[0].Text, StringComparison.Ordinal);
        var growth = Assert.Single(school.Single(s => s.StudentId == "b").Reasons);
        Assert.Equal(CheckOnReason.GrowthAreas, growth.Code);
        Assert.Equal(["collaboration", "empathy"], growth.Skills.Order(StringComparer.Ordinal));
        Assert.Equal([CheckOnReason.NeedsEvidence], school.Single(s => s.StudentId == "c").Reasons.Select(r => r.Code));

        // A teacher's scope: their class of the school only; another district's scope: nothing.
        Assert.Equal(["c", "d"], (await store.Histories.OfSchoolAsync("s1", RosterScope.OfTeacher("t2"))).Select(s => s.StudentId));
        Assert.Empty(await store.Histories.OfClassAsync("c1", RosterScope.OfTeacher("t2")));
        Assert.Empty(await store.Histories.OfSchoolAsync("s1", new RosterScope("d9", null)));
    }

    private static StudentAssessment Assessment(string student, DateTime at, params (string Skill, double Fused, double Confidence)[] skills) =>
        new(student, at, "features-1", 0.9,
            [.. skills.Select(s => new SkillAssessment(s.Skill, s.Fused, s.Confidence, 0.9, $"skill_{s.Skill}@1.0.0", "1.0.0", new string('a', 64), s.Fused,
                new FusionComponents(s.Fused, null, null, s.Fused, 0.9, 0, 0, 0.1), [], []))],
            [], TemplateFeedback.Write(student, 0.9, [], "llm_not_configured"), "1", 1, null);
}
