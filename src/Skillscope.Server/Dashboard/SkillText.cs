using Skillscope.Assessment.Feedback;

namespace Skillscope.Server.Dashboard;

/// <summary>How the dashboard names skills and score bands (the bands' thresholds are the feedback's).</summary>
public static class SkillText
{
    /// <summary>"Problem solving" for <c>problem_solving</c>.</summary>
    public static string Title(string skill)
    {
        string name = TemplateFeedback.NameOf(skill);
        return name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
    }

    /// <summary>"Strength", "Developing" or "Growth area" for a fused score.</summary>
    public static string BandLabel(double fused) => TemplateFeedback.BandOf(fused) switch
    {
        "strength" => "Strength",
        "growth_area" => "Growth area",
        _ => "Developing",
    };
}
