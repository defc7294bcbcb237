using Skillscope.Assessment.Cohorts;
using Xunit;

namespace Skillscope.Assessment.Tests;

public sealed class CohortComparisonTests
{
    private static readonly string[] Skills = ["empathy", "resilience"];

    [Fact]
    public void A_group_of_fewer_than_ten_students_shows_neither_its_size_nor_any_figure_and_hides_the_next_smallest_with_it()
    {
        var comparison = CohortComparison.Of(CohortDimension.Grade,
            [new("3", "", "empathy", 2, 9, 2.25, 0, 9), new("4", "", "empathy", 7, 10, 7.5, 10, 0), new("5", "", "empathy", 5, 11, 5.5, 0, 0)],
            [new CohortSize("3", 9), new CohortSize("4", 10), new CohortSize("5", 11)], Skills);

        Assert.Equal(["Grade 3", "Grade 4", "Grade 5"], comparison.Groups.Select(g => g.Label));
        foreach (var hidden in comparison.Groups.Take(2))
        {
            Assert.True(hidden.Suppressed);
            Assert.Null(hidden.Students);
            Assert.Empty(hidden.Skills);
        }

        var shown = comparison.Groups[2];
        Assert.Equal(11, shown.Students);
        var empathy = Assert.Single(shown.Skills);
        Assert.Equal((0.5, 0.0, 1.0, 0.0), (empathy.Mean, empathy.Strength, empathy.Developing, empathy.GrowthArea));
        Assert.Equal(11, empathy.Bins[5]);
    }

    [Fact]
    public void A_skill_scored_for_fewer_than_ten_of_a_groups_students_is_named_not_shown()
    {
        var comparison = CohortComparison.Of(CohortDimension.School,
            [new("s1", "Hill School", "empathy", 7, 40, 30, 40, 0), new("s1", "Hill School", "resilience", 1, 2, 0.3, 0, 2),
             new("s2", "Vale School", "empathy", 7, 12, 9, 12, 0), new("s2", "Vale School", "resilience", 7, 12, 9, 12, 0)],
            [new CohortSize("s1", 40), new CohortSize("s2", 12)], Skills);

        var hill = comparison.Groups[0];
        Assert.Equal(("Hill School", 40L), (hill.Label, hill.Students!.Value));
        Assert.Equal(["empathy"], hill.Skills.Select(s => s.Skill));
        Assert.Equal(["resilience"], hill.SuppressedSkills);
        Assert.Equal(2, comparison.Groups[1].Skills.Count);
    }

    [Fact]
    public void Cells_add_up_per_skill_and_terms_are_named_and_ordered_by_time()
    {
        var comparison = CohortComparison.Of(CohortDimension.Term,
            [new("20263", "", "resilience", 1, 4, 0.6, 0, 4), new("20263", "", "resilience", 5, 8, 4.4, 0, 0), new("20261", "", "resilience", 8, 12, 10.2, 12, 0)],
            [new CohortSize("20263", 12), new CohortSize("20261", 12)], Skills);

        Assert.Equal(["2026 spring", "2026 fall"], comparison.Groups.Select(g => g.Label));
        var fall = Assert.Single(comparison.Groups[1].Skills);
        Assert.Equal(12, fall.Students);
        Assert.Equal((0.4167, 0.6667, 0.3333), (fall.Mean, fall.Developing, fall.GrowthArea));
        Assert.Equal([0L, 4, 0, 0, 0, 8, 0, 0, 0, 0], fall.Bins);
    }
}
