using System.Text.Json;
using System.Text.RegularExpressions;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// Reads and checks what the LLM answered: the JSON shape asked for, one entry for each assessed skill,
/// sensible lengths, none of the labelling words or technical terms the instructions forbid, counts of
/// strengths that agree with the bands, and quotes only of the student's sentences given. Anything else is
/// invalid and the template is used instead.
/// </summary>
public static partial class LlmFeedbackOutput
{
    private const int MaxSummary = 2_000;
    private const int MaxText = 1_000;
    private const int MaxStrengths = 5;

    /// <summary>The feedback, or null with the reason it is not acceptable; <paramref name="said"/> holds the student's sentences as the prompt sent them (redacted), all a quote may come from.</summary>
    public static (AssessmentFeedback? Feedback, string? Problem) Parse(string? content, StudentAssessment assessment, string model, IReadOnlyList<string>? said = null)
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
                .Select(s => new SkillFeedback(s.Skill, assessment.Bands.Of(s.Fused), bySkill[s.Skill].Feedback, bySkill[s.Skill].NextStep))
                .ToList();
            var all = perSkill.SelectMany(s => new[] { s.Text, s.NextStep }).Concat(strengths).Append(summary);
            if (all.FirstOrDefault(t => Labelling().IsMatch(t)) is { } labelled)
            {
                return (null, $"the text uses labelling language (\"{Labelling().Match(labelled).Value}\")");
            }

            if (all.FirstOrDefault(t => Technical().IsMatch(t)) is { } technical)
            {
                return (null, $"the text uses technical terms a teacher would not (\"{Technical().Match(technical).Value}\")");
            }

            // Counts are claimed in the summary and strengths; a next step may ask to "name two strengths".
            if (CountProblem(strengths.Append(summary), assessment) is { } countProblem)
            {
                return (null, countProblem);
            }

            // Next steps may suggest words for the teacher to say; everything else quotes the student or nothing.
            if (QuoteProblem(perSkill.Select(s => s.Text).Concat(strengths).Append(summary), said ?? [.. assessment.Skills.SelectMany(s => s.Evidence).Select(e => e.Quote).OfType<string>()]) is { } quoteProblem)
            {
                return (null, quoteProblem);
            }

            return (new AssessmentFeedback("llm", FeedbackReasons.Written, FeedbackPrompt.Version, summary, strengths,
                TemplateFeedback.NextStepsOf(perSkill, assessment.Skills), perSkill) { Model = model }, null);
        }
        catch (JsonException exception)
        {
            return (null, "the answer is not valid JSON: " + exception.Message);
        }
    }

    /// <summary>A number of strengths the text claims that is not the number of skills whose band is strength.</summary>
    private static string? CountProblem(IEnumerable<string> texts, StudentAssessment assessment)
    {
        int strengths = assessment.Skills.Count(s => assessment.Bands.Of(s.Fused) == "strength");
        foreach (string text in texts)
        {
            foreach (Match claim in StrengthCount().Matches(text))
            {
                int claimed = NumberWords.IndexOf(claim.Groups["n"].Value.ToLowerInvariant());
                if (claimed < 0 && !int.TryParse(claim.Groups["n"].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out claimed))
                {
                    return $"the text counts strengths with a number that is not one (\"{claim.Value}\")";
                }

                if (claimed != strengths)
                {
                    return $"the text counts {claimed} strengths where the bands show {strengths} (\"{claim.Value}\")";
                }
            }
        }

        return null;
    }

    /// <summary>A quoted passage of four words or more that is not from a sentence of the student's given in the evidence.</summary>
    private static string? QuoteProblem(IEnumerable<string> texts, IReadOnlyList<string> sentences)
    {
        var said = sentences.Select(Normalised).ToList();
        foreach (string text in texts)
        {
            foreach (Match quoted in Quoted().Matches(text))
            {
                string passage = Normalised(quoted.Groups["q"].Value);
                if (passage.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 4 && !said.Any(sentence => sentence.Contains(passage, StringComparison.Ordinal)))
                {
                    return $"the text quotes words the evidence does not hold (\"{quoted.Groups["q"].Value}\")";
                }
            }
        }

        return null;
    }

    private static string Normalised(string text) => Spaces().Replace(text.ToLowerInvariant().Replace('\u2019', '\'').Trim().TrimEnd('.', '!', '?', '…', ','), " ");

    private static readonly List<string> NumberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

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

    // The model's language: ids, fusion and feature terms a teacher-facing text must not use.
    [GeneratedRegex(@"\b(skill_\w+@[\w.]+|fused|ml score|the model(?:'s)?|machine learning|feature rate|[a-z]+(?:_[a-z]+)*_(rate|index|count|minutes|seconds))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Technical();

    // A count of skills in the strength band: "3 of 7 skills show as strengths", "two skills are strengths".
    [GeneratedRegex(@"\b(?<n>\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:of (?:the |its |their )?(?:\d+|\w+) skills |skills? )(?:that |which )?(?:show(?:s)? as |are |is )(?:clear )?strengths?\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StrengthCount();

    [GeneratedRegex("[\"\u201c](?<q>[^\"\u201c\u201d]{3,})[\"\u201d]", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
