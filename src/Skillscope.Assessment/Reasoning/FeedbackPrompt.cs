using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// The prompt for one assessment's feedback: fixed instructions, and the assessment's own evidence as
/// JSON — redacted, and cut to the strongest items when it would not fit the token budget.
/// </summary>
public sealed record FeedbackPrompt(string System, string User, int EvidenceItems, int PromptTokens)
{
    /// <summary>The student's sentences the prompt holds, as sent (redacted): all an answer may quote.</summary>
    public IReadOnlyList<string> Said { get; init; } = [];

    /// <summary>Stored with every LLM text; change it whenever the instructions or the evidence format change.</summary>
    public const string Version = "feedback-llm-2";

    /// <summary>Evidence items kept at each step when the prompt is over budget ("all" first).</summary>
    public static readonly int[] EvidenceLimits = [int.MaxValue, 10, 5, 3];

    public const string Instructions =
        """
        You write feedback for a teacher about one student's social-emotional skills.
        Use only the evidence in the JSON the user sends: skills with a band (strength, developing, growth_area),
        a score from 0 to 1, a confidence, and evidence items (what was observed, whether it raises or lowers the
        skill, and sometimes the student's own sentence). Do not invent events, quotes or facts.
        Write in a growth-oriented, specific and actionable way that suits a school-age student: describe what
        was observed and what to practise next. Never use diagnostic, clinical or labelling language (no
        conditions or disorders, no "lazy", "bad", "weak", "always", "never"). Say "the student", not a name.
        Where confidence is low, say the evidence is still limited.
        Use a teacher's words: do not mention models, scores as numbers, feature names, ids or technical terms
        (no "fused", "model", "ML", "index", "ratio", "rate"). Any count you give agrees with the bands given
        (a skill is a strength only when its band is strength). Quote the student only with a "student_said"
        sentence given, word for word, and only where its item's effect matches what you say about it.
        Answer with JSON only: {"summary": string (2-3 sentences), "strengths": [string] (0-3 items),
        "skills": [{"skill": the skill id as given, "feedback": string (1-2 sentences), "next_step": string (one concrete classroom step)}]}
        with exactly one entry per skill given, in the same order.
        """;

    /// <summary>JSON schema of the answer (for <c>json_schema</c> structured output).</summary>
    public const string OutputSchema =
        """
        {"type":"object","additionalProperties":false,"required":["summary","strengths","skills"],
         "properties":{"summary":{"type":"string"},"strengths":{"type":"array","items":{"type":"string"}},
          "skills":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["skill","feedback","next_step"],
           "properties":{"skill":{"type":"string"},"feedback":{"type":"string"},"next_step":{"type":"string"}}}}}}
        """;

    /// <summary>
    /// The largest prompt within <paramref name="maxTokens"/> as <paramref name="tokens"/> counts them: all
    /// evidence, else the strongest 10, 5 or 3 items. Null when even three items do not fit.
    /// </summary>
    public static FeedbackPrompt? Build(StudentAssessment assessment, Redactor redactor, int maxTokens, PromptTokenCounter tokens)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(redactor);
        ArgumentNullException.ThrowIfNull(tokens);
        int available = assessment.Skills.Sum(s => s.Evidence.Count);
        int previous = -1;
        foreach (int limit in EvidenceLimits)
        {
            int kept = Math.Min(limit, available);
            if (kept == previous)
            {
                continue;
            }

            previous = kept;
            var said = new List<string>();
            string user = UserMessage(assessment, redactor, kept, said);
            int counted = tokens.CountMessages(Instructions, user);
            if (counted <= maxTokens)
            {
                return new FeedbackPrompt(Instructions, user, kept, counted) { Said = said };
            }
        }

        return null;
    }

    /// <summary>Cache key: what was sent (already redacted), to which model, under which prompt version.</summary>
    public string CacheKey(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', Version, model, System, User)));
        return Convert.ToHexStringLower(hash);
    }

    private static string UserMessage(StudentAssessment assessment, Redactor redactor, int keep, List<string> said)
    {
        // The strongest items across all skills survive a cut; ties keep catalog order.
        var kept = assessment.Skills
            .SelectMany((skill, s) => skill.Evidence.Select((item, i) => (s, i, item.Weight)))
            .OrderByDescending(e => Math.Abs(e.Weight)).ThenBy(e => e.s).ThenBy(e => e.i)
            .Take(keep)
            .Select(e => (e.s, e.i))
            .ToHashSet();

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("evidence_coverage", Math.Round(assessment.Coverage, 2));
            json.WriteStartArray("skills");
            for (int s = 0; s < assessment.Skills.Count; s++)
            {
                var skill = assessment.Skills[s];
                json.WriteStartObject();
                json.WriteString("skill", skill.Skill);
                json.WriteString("name", TemplateFeedback.NameOf(skill.Skill));
                json.WriteString("band", assessment.Bands.Of(skill.Fused));
                json.WriteNumber("score", Math.Round(skill.Fused, 2));
                json.WriteNumber("confidence", Math.Round(skill.Confidence, 2));
                json.WriteStartArray("evidence");
                for (int i = 0; i < skill.Evidence.Count; i++)
                {
                    if (!kept.Contains((s, i)))
                    {
                        continue;
                    }

                    var item = skill.Evidence[i];
                    json.WriteStartObject();
                    json.WriteString("source", item.Source);
                    json.WriteString("observed", redactor.Redact(item.Description));
                    json.WriteString("effect", item.Direction);
                    if (item.Quote is { } quote)
                    {
                        string sent = redactor.Redact(quote);
                        said.Add(sent);
                        json.WriteString("student_said", sent);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"FeedbackPrompt {{ {EvidenceItems} items, {PromptTokens} prompt tokens }}");
}
