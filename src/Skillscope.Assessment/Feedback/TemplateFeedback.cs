using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Fusion;

namespace Skillscope.Assessment.Feedback;

/// <summary>
/// Deterministic, growth-oriented feedback written from an assessment's own evidence: what the student
/// already does well (quoting them where a sentence showed it), and one concrete next step per skill.
/// It never labels the student; it describes what was observed and what to practise.
/// </summary>
public static class TemplateFeedback
{
    public const string PromptVersion = "template-3";

    /// <summary>The <see cref="AssessmentFeedback.Source"/> of text written here (an LLM's is "llm").</summary>
    public const string Source = "template";

    private static readonly Dictionary<string, (string Name, string[] Steps)> Skills = new(StringComparer.Ordinal)
    {
        ["empathy"] = ("empathy", ["Invite them to ask a classmate how they feel before offering a solution.", "After a story or discussion, ask them to name how each person might have felt and why."]),
        ["problem_solving"] = ("problem solving", ["Before they start a task, ask them to say their plan in two steps and how they will check it.", "When they are stuck, prompt \"what could you try next, and why?\" before offering a hint."]),
        ["self_regulation"] = ("self-regulation", ["Agree on a calm-down routine (a breath, a pause, a quiet word) they can use when work gets frustrating.", "Ask them to notice and name the feeling first, then choose what to do next."]),
        ["resilience"] = ("resilience", ["When a task goes wrong, ask what they learned from the attempt and what they will change on the next one.", "Celebrate the second try as much as the result: point out when they keep going after a setback."]),
        ["collaboration"] = ("collaboration", ["Give them a group role that depends on others (recorder, connector) and ask them to build on a peer's idea.", "Ask them to start a group discussion with \"what do you think?\" before sharing their own idea."]),
        ["communication"] = ("communication", ["Ask them to explain one idea fully: the point, a reason, and an example.", "Encourage a question to a classmate in every discussion, and to summarise what they heard."]),
        ["growth_mindset"] = ("growth mindset", ["Model the word \"yet\": when they say they can't, ask them to add \"yet\" and name one thing to practise.", "Ask them to set a small practice goal each week and look back at how they improved."]),
    };

    /// <param name="studentId">Whose: picks the wording variant.</param>
    /// <param name="coverage">The share of features the evidence gave (0: no evidence).</param>
    /// <param name="skills">The skills assessed.</param>
    /// <param name="reason">Why the template is used.</param>
    /// <param name="bands">The bands the student's district draws; the installation's when null.</param>
    public static AssessmentFeedback Write(string studentId, double coverage, IReadOnlyList<SkillAssessment> skills, string reason, SkillBands? bands = null)
    {
        ArgumentNullException.ThrowIfNull(skills);
        if (coverage == 0 || skills.Count == 0)
        {
            return new AssessmentFeedback(Source, reason, PromptVersion,
                "There is no evidence for this student yet (no transcripts or learning-activity data), so no skills were assessed. Feedback will appear once evidence is recorded.",
                [], [], []);
        }

        int variant = Variant(studentId);
        var perSkill = new List<SkillFeedback>(skills.Count);
        foreach (var skill in skills)
        {
            var (name, steps) = Skills.TryGetValue(skill.Skill, out var known) ? known : (skill.Skill.Replace('_', ' '), ["Keep observing this skill and discuss one concrete example with the student."]);
            string band = (bands ?? SkillBands.Default).Of(skill.Fused);
            // The reason given is the strongest item that tells something: observed, and unlike most students.
            var raising = skill.Evidence.FirstOrDefault(e => e.Direction == "raises" && EvidenceFusion.Tells(e));
            var lowering = skill.Evidence.FirstOrDefault(e => e.Direction == "lowers" && EvidenceFusion.Tells(e));
            string observed = band switch
            {
                "strength" => $"{Capitalise(name)} shows clearly" + Because(raising) + ".",
                "growth_area" => $"{Capitalise(name)} is a good area to grow next" + Because(lowering) + ".",
                _ => $"{Capitalise(name)} is developing" + Because(raising) + (lowering is not null ? $"; to build on: {Lower(lowering.Description)}" : "") + ".",
            };
            // Only the sentence behind the item described: a quote from another marker could say the opposite.
            string? quote = band == "growth_area" ? null : raising?.Quote;
            if (quote is not null)
            {
                observed += $" In their own words: \u201c{quote}\u201d";
            }

            if (skill.Coverage < 0.5 || skill.Confidence < 0.3)
            {
                observed += " (Evidence is still limited, so treat this as a first impression.)";
            }

            perSkill.Add(new SkillFeedback(skill.Skill, band, observed, steps[variant % steps.Length]));
        }

        var ordered = perSkill.Zip(skills).OrderByDescending(p => p.Second.Fused).ToList();

        // Every strength, as the gauges show them: the summary's counts are of all skills, never of a cut list.
        var strengths = ordered.Where(p => p.First.Band == "strength").Select(p => p.First.Text).ToList();
        var growth = NextStepsOf(perSkill, skills);
        return new AssessmentFeedback(Source, reason, PromptVersion, Summary([.. ordered.Select(p => (p.Second.Skill, p.First.Band, p.Second.Fused))]), strengths, growth, perSkill);
    }

    /// <summary>
    /// The summary of skills ordered strongest first: which is strongest and which to focus on next, and how
    /// many skills are in each band, in the words the gauges use.
    /// </summary>
    private static string Summary(IReadOnlyList<(string Skill, string Band, double Fused)> ordered)
    {
        string top = NameOf(ordered[0].Skill);
        if (ordered.Count == 1)
        {
            return $"{Capitalise(top)} is {Describe(ordered[0].Band)}.";
        }

        string next = NameOf(ordered[^1].Skill);
        string first = ordered[0].Fused == ordered[^1].Fused
            ? $"All {ordered.Count} skills sit at the same level in this evidence."
            : ordered[^1].Band == "strength"
                ? $"Every skill shows as a strength; {top} is the strongest in the evidence, and {next} has the most room to grow further."
                : $"Right now {top} is this student's strongest area in the evidence, and {next} is the best place to focus next.";
        return $"{first} {Counts(ordered)}; each skill below has one concrete step to try.";
    }

    /// <summary>"Of the 7 skills, 3 show as strengths, 2 as developing and 2 as growth areas".</summary>
    private static string Counts(IReadOnlyList<(string Skill, string Band, double Fused)> ordered)
    {
        int strengths = 0, developing = 0, growth = 0;
        foreach (var (_, band, _) in ordered)
        {
            switch (band)
            {
                case "strength":
                    strengths++;
                    break;
                case "growth_area":
                    growth++;
                    break;
                default:
                    developing++;
                    break;
            }
        }

        var parts = new List<string>(3);
        foreach (var (count, one, many) in new[] { (strengths, "a strength", "strengths"), (developing, "developing", "developing"), (growth, "a growth area", "growth areas") })
        {
            if (count > 0)
            {
                string verb = parts.Count == 0 ? (count == 1 ? " shows" : " show") : "";
                parts.Add($"{count}{verb} as {(count == 1 ? one : many)}");
            }
        }

        string listed = parts.Count == 1 ? parts[0] : $"{string.Join(", ", parts.Take(parts.Count - 1))} and {parts[^1]}";
        return $"Of the {ordered.Count} skills, {listed}";
    }


    /// <summary>The two skills to work on next, each with its next step, as the overall next steps.</summary>
    public static List<string> NextStepsOf(IReadOnlyList<SkillFeedback> skills, IReadOnlyList<SkillAssessment> assessed) =>
        [.. skills.Zip(assessed).OrderBy(p => p.Second.Fused).Take(2).Select(p => $"{Capitalise(NameOf(p.Second.Skill))}: {p.First.NextStep}")];

    private static string Because(EvidenceItem? item) => item is null ? "" : $" ({Lower(item.Description)})";

    private static string Describe(string band) => band switch
    {
        "strength" => "a strength",
        "growth_area" => "a good area to grow next",
        _ => "developing",
    };

    /// <summary>The skill as a teacher reads it ("problem solving").</summary>
    public static string NameOf(string skill) => Skills.TryGetValue(skill, out var known) ? known.Name : skill.Replace('_', ' ');

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];

    /// <summary>FNV-1a of the id: which wording a student gets is stable, and varies across a class.</summary>
    private static int Variant(string id)
    {
        uint hash = 2166136261;
        foreach (char c in id)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash & 0x7fffffff);
    }
}
