using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Cohorts;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Roster;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>Cohort counts from what is stored: each student's latest score (per term for terms), per group, within the reader's scope.</summary>
public sealed class CohortStatsTests
{
    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Latest_scores_are_counted_per_grade_school_and_term_within_scope(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store.Assessments;
        await store.Evidence.UpsertRosterAsync(new RosterRows(
            [new District("d1", "North"), new District("d2", "South")], [new School("s1", "d1", "Hill School"), new School("s2", "d2", "Vale School")],
            [new Teacher("t1", "s1", "Ana Rivera", "ana@school.example"), new Teacher("t2", "s2", "Bo Lind", "bo@school.example")],
            [new SchoolClass("c1", "s1", "4A", 4, "t1"), new SchoolClass("c2", "s2", "5B", 5, "t2")],
            [new Student("a", "c1", "Maya", "Okafor", 4), new Student("b", "c1", "Will", "Brown", 4), new Student("c", "c2", "Ines", "Moreau", 5)]));

        // a: assessed in spring (0.2) and again in fall (0.8); b and c in fall only.
        var spring = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        var fall = new DateTime(2026, 10, 5, 9, 0, 0, DateTimeKind.Utc);
        await store.Records.SaveAssessmentsAsync([Assessment("a", spring, 0.2)]);
        await store.Records.SaveAssessmentsAsync([Assessment("a", fall, 0.8), Assessment("b", fall, 0.5), Assessment("c", fall, 0.35)]);

        var (grades, gradeSizes) = await store.Cohorts.CountAsync(CohortDimension.Grade, RosterScope.Everything, Installation);
        Assert.Equal([("4", 2L), ("5", 1L)], gradeSizes.Select(s => (s.Group, s.Students)).OrderBy(s => s.Group, StringComparer.Ordinal));
        var fourth = grades.Where(c => c.Group == "4").ToList();
        Assert.Equal(2, fourth.Sum(c => c.Students));
        Assert.Equal(1.3, fourth.Sum(c => c.FusedSum), 10);
        Assert.Equal((1L, 0L), (fourth.Sum(c => c.Strengths), fourth.Sum(c => c.GrowthAreas)));
        Assert.Equal([5, 8], fourth.Select(c => c.Bin).Order());

        var (schools, _) = await store.Cohorts.CountAsync(CohortDimension.School, RosterScope.Everything, Installation);
        Assert.Equal("Vale School", schools.Single(c => c.Group == "s2").Label);
        Assert.Equal(1, schools.Single(c => c.Group == "s2").GrowthAreas);

        var (terms, termSizes) = await store.Cohorts.CountAsync(CohortDimension.Term, RosterScope.Everything, Installation);
        Assert.Equal([("20261", 1L), ("20263", 3L)], termSizes.Select(s => (s.Group, s.Students)).OrderBy(s => s.Group, StringComparer.Ordinal));
        Assert.Equal(0.2, terms.Single(c => c.Group == "20261").FusedSum, 10);

        var (mine, mySizes) = await store.Cohorts.CountAsync(CohortDimension.School, new RosterScope("d2", null), Installation);
        Assert.Equal(["s2"], mySizes.Select(s => s.Group));
        Assert.All(mine, c => Assert.Equal("s2", c.Group));

        // A district's own bands count its students by them: c (0.35) is developing where d2 draws growth areas below 0.3,
        // and a (0.8) is not a strength where d1 draws strengths from 0.85; the other districts keep the installation's.
        var own = new Dictionary<string, SkillBands>(StringComparer.Ordinal) { ["d2"] = new(0.6, 0.3), ["d1"] = new(0.85, 0.45) };
        var (banded, _) = await store.Cohorts.CountAsync(CohortDimension.School, RosterScope.Everything, own);
        Assert.Equal((0L, 0L), (banded.Where(c => c.Group == "s2").Sum(c => c.Strengths), banded.Where(c => c.Group == "s2").Sum(c => c.GrowthAreas)));
        Assert.Equal((0L, 0L), (banded.Where(c => c.Group == "s1").Sum(c => c.Strengths), banded.Where(c => c.Group == "s1").Sum(c => c.GrowthAreas)));
    }

    private static readonly Dictionary<string, SkillBands> Installation = new(StringComparer.Ordinal);

    private static StudentAssessment Assessment(string student, DateTime at, double fused) =>
        new(student, at, "features-1", 0.9,
            [new SkillAssessment("empathy", fused, 0.9, 0.9, "skill_empathy@1.0.0", "1.0.0", new string('a', 64), fused,
                new FusionComponents(fused, null, null, fused, 0.9, 0, 0, 0.1), [], [])],
            [], TemplateFeedback.Write(student, 0.9, [], "llm_not_configured"), "1", 1, null);
}
