using Skillscope.Assessment.Features;

namespace Skillscope.Assessment.Feedback;

/// <summary>How pages and reports name skills and score bands (the bands' thresholds are the feedback's).</summary>
public static class SkillText
{
    /// <summary>"Problem solving" for <c>problem_solving</c>.</summary>
    public static string Title(string skill)
    {
        string name = TemplateFeedback.NameOf(skill);
        return name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
    }

    /// <summary>"Strength", "Developing" or "Growth area" for a band (<see cref="SkillBands.Of"/>).</summary>
    public static string BandLabel(string band) => band switch
    {
        SkillBands.Strength => "Strength",
        SkillBands.GrowthArea => "Growth area",
        _ => "Developing",
    };

    /// <summary>Which way an evidence item points, in a teacher's words ("raises" or "lowers" the skill's score).</summary>
    public static string DirectionOf(string direction) => direction == "raises" ? "speaks for this skill" : "suggests room to grow";

    /// <summary>Where an observation comes from, as a teacher knows it (whichever part of the score used it).</summary>
    public static string SourceOf(string feature) =>
        FeatureSet.IndexOf(feature) is int index and >= 0
            ? FeatureSet.Features[index].Source switch
            {
                FeatureSource.Linguistic => "What they said",
                FeatureSource.Behavioral => "Learning games",
                _ => "Overall pattern",
            }
            : "Overall pattern";
}
