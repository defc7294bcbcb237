namespace Skillscope.Assessment.Skills;

/// <summary>The skills Skillscope assesses; the default seven unless configuration names others.</summary>
public sealed record SkillCatalog(IReadOnlyList<string> Skills)
{
    public const string Empathy = "empathy";
    public const string ProblemSolving = "problem_solving";
    public const string SelfRegulation = "self_regulation";
    public const string Resilience = "resilience";
    public const string Collaboration = "collaboration";
    public const string Communication = "communication";
    public const string GrowthMindset = "growth_mindset";

    public static SkillCatalog Default { get; } = new([Empathy, ProblemSolving, SelfRegulation, Resilience, Collaboration, Communication, GrowthMindset]);

    public int IndexOf(string skill)
    {
        for (int i = 0; i < Skills.Count; i++)
        {
            if (Skills[i] == skill)
            {
                return i;
            }
        }

        return -1;
    }
}
