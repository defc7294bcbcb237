using System.Text.Json;
using System.Text.RegularExpressions;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// Reads and checks what the LLM answered: the JSON shape asked for, one entry for each assessed skill,
/// sensible lengths, and none of the labelling words the instructions forbid. Anything else is invalid
/// and the template is used instead.
/// </summary>
public static partial class LlmFeedbackOutput
{
    private const int MaxSummary = 2_000;
    private const int MaxText = 1_000;
    private const int MaxStrengths = 5;

    /// <summary>The feedback, or null with the reason it is not acceptable.</summary>
    public static (AssessmentFeedback? Feedback, string? Problem) Parse(string? content, StudentAssessment assessment, string model)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        if (string.IsNullOrWhiteSpace(content))
        {
            return (null, "the answer is empty");
        }

        try
        {
            using var document = JsonDocument.Parse(StripFence(content), new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "the answer is not a JSON object");
            }

            if (Text(root, "summary", MaxSummary) is not { } summary)
            {
                return (null, "summary is missing, empty or too long");
            }

            var strengths = new List<string>();
            if (!root.TryGetProperty("strengths", out var strengthList) || strengthList.ValueKind != JsonValueKind.Array || strengthList.GetArrayLength() > MaxStrengths)
            {
                return (null, $"strengths must be an array of at most {MaxStrengths} texts");
            }

            foreach (var strength in strengthList.EnumerateArray())
            {
                if (strength.ValueKind != JsonValueKind.String || strength.GetString() is not { Length: > 0 and <= MaxText } text)
                {
                    return (null, "a strength is not a text of sensible length");
                }

                strengths.Add(text.Trim());
            }

            if (!root.TryGetProperty("skills", out var skillList) || skillList.ValueKind != JsonValueKind.Array)
            {
                return (null, "skills must be an array");
            }

            var bySkill = new Dictionary<string, (string Feedback, string NextStep)>(StringComparer.Ordinal);
            foreach (var entry in skillList.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || Text(entry, "skill", 100) is not { } skill
                    || Text(entry, "feedback", MaxText) is not { } feedback || Text(entry, "next_step", MaxText) is not { } step)
                {
                    return (null, "a skill entry lacks skill, feedback or next_step, or is too long");
                }

                if (!assessment.Skills.Any(s => s.Skill == skill) || !bySkill.TryAdd(skill, (feedback, step)))
                {
                    return (null, $"skill \"{skill}\" was not assessed or appears twice");
                }
            }

            if (bySkill.Count != assessment.Skills.Count)
            {
                return (null, $"{bySkill.Count} of {assessment.Skills.Count} assessed skills have feedback");
            }

            var perSkill = assessment.Skills
                .Select(s => new SkillFeedback(s.Skill, TemplateFeedback.BandOf(s.Fused), bySkill[s.Skill].Feedback, bySkill[s.Skill].NextStep))
                .ToList();
            var all = perSkill.SelectMany(s => new[] { s.Text, s.NextStep }).Concat(strengths).Append(summary);
            if (all.FirstOrDefault(t => Labelling().IsMatch(t)) is { } labelled)
            {
                return (null, $"the text uses labelling language (\"{Labelling().Match(labelled).Value}\")");
            }

            return (new AssessmentFeedback("llm", FeedbackReasons.Written, FeedbackPrompt.Version, summary, strengths,
                TemplateFeedback.NextStepsOf(perSkill, assessment.Skills), perSkill) { Model = model }, null);
        }
        catch (JsonException exception)
        {
            return (null, "the answer is not valid JSON: " + exception.Message);
        }
    }

    private static string? Text(JsonElement parent, string name, int maxLength) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text
            && text.Trim() is { Length: > 0 } trimmed && trimmed.Length <= maxLength ? trimmed : null;

    // Some servers wrap JSON in a Markdown fence even when asked not to.
    private static string StripFence(string content)
    {
        string text = content.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        int firstLine = text.IndexOf('\n', StringComparison.Ordinal);
        int end = text.LastIndexOf("```", StringComparison.Ordinal);
        return firstLine > 0 && end > firstLine ? text[(firstLine + 1)..end] : text;
    }

    // Diagnostic and labelling words a teacher-facing text must not use.
    [GeneratedRegex(@"\b(adhd|autis\w*|asperger\w*|disorder\w*|diagnos\w*|lazy|stupid|dumb|retard\w*|defiant|abnormal|deficien\w*|troubled|disturbed|slow learner|problem child|bad (kid|student|child))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Labelling();
}
