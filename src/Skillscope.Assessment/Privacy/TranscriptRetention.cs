using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Reasoning;

namespace Skillscope.Assessment.Privacy;

/// <summary>
/// Deletes transcripts older than the retention period and keeps the scores: the utterances go, the
/// features extracted from them go (the next assessment extracts from what remains, so the students are
/// marked as having new evidence), and the stored assessments lose every quote of a sentence that is no
/// longer kept — in their evidence items and in template feedback text. Feedback an LLM wrote from such a
/// sentence is rewritten from the template: it may quote the sentence in a form no search finds (redacted,
/// reworded, translated).
/// </summary>
public sealed class TranscriptRetention(IPrivacyStore privacy, IEvidenceStore evidence, IAssessmentRecords records)
{
    public const string RemovedQuote = "[removed under the retention policy]";

    /// <summary>
    /// Applies each district's own period to its students and the installation's (<paramref name="installationDays"/>;
    /// null keeps them) to every other student.
    /// </summary>
    public async Task<RetentionResult> ApplyAsync(int? installationDays, IReadOnlyDictionary<string, int> districtDays, DateTime now, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(districtDays);
        var total = new RetentionResult(0, 0, 0);
        foreach (var (district, days) in districtDays)
        {
            total += await ApplyAsync(now.AddDays(-days), RetentionScope.OfDistrict(district), cancellation).ConfigureAwait(false);
        }

        if (installationDays is { } installation)
        {
            total += await ApplyAsync(now.AddDays(-installation), RetentionScope.Except([.. districtDays.Keys]), cancellation).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>Applies retention for transcripts older than <paramref name="cutoff"/>, of the students in <paramref name="scope"/> (everyone when null).</summary>
    public async Task<RetentionResult> ApplyAsync(DateTime cutoff, RetentionScope? scope = null, CancellationToken cancellation = default)
    {
        var (deleted, students) = await privacy.DeleteUtterancesBeforeAsync(cutoff, scope, cancellation).ConfigureAwait(false);
        int scrubbed = 0;
        foreach (var chunk in students.Chunk(200))
        {
            var kept = (await evidence.LoadEvidenceAsync(chunk, cancellation).ConfigureAwait(false))
                .ToDictionary(e => e.StudentId, e => e.Utterances.Select(u => u.Text).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
            foreach (string student in chunk)
            {
                var sentences = kept.GetValueOrDefault(student) ?? [];
                foreach (var assessment in await records.HistoryAsync(student, int.MaxValue, cancellation).ConfigureAwait(false))
                {
                    if (Scrub(assessment, sentences) is { } changed)
                    {
                        await records.ReplaceAssessmentAsync(changed, cancellation).ConfigureAwait(false);
                        scrubbed++;
                    }
                }
            }
        }

        return new RetentionResult(deleted, students.Count, scrubbed);
    }

    /// <summary>The assessment without quotes of sentences that are in none of the <paramref name="kept"/> utterances; null when it quotes none.</summary>
    public static StudentAssessment? Scrub(StudentAssessment assessment, IReadOnlySet<string> kept)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(kept);
        var gone = assessment.Skills.SelectMany(s => s.Evidence).Select(e => e.Quote).OfType<string>().Where(q => !IsKept(q, kept)).ToHashSet(StringComparer.Ordinal);
        if (gone.Count == 0)
        {
            return null;
        }

        var skills = assessment.Skills.Select(s => s with
        {
            Evidence = [.. s.Evidence.Select(e => e.Quote is { } q && gone.Contains(q) ? e with { Quote = null } : e)],
        }).ToList();
        var feedback = assessment.Feedback;
        feedback = feedback.Source == TemplateFeedback.Source
            ? feedback with
            {
                Summary = Remove(feedback.Summary, gone),
                Strengths = [.. feedback.Strengths.Select(t => Remove(t, gone))],
                NextSteps = [.. feedback.NextSteps.Select(t => Remove(t, gone))],
                Skills = [.. feedback.Skills.Select(f => f with { Text = Remove(f.Text, gone), NextStep = Remove(f.NextStep, gone) })],
            }
            : TemplateFeedback.Write(assessment.StudentId, assessment.Coverage, skills, FeedbackReasons.SourceRemoved, assessment.Bands);
        return assessment with { Skills = skills, Feedback = feedback };
    }

    // A quote is one sentence of an utterance, perhaps shortened with "…": it is kept while some kept
    // utterance still holds it.
    private static bool IsKept(string quote, IReadOnlySet<string> utterances)
    {
        string sentence = quote.EndsWith('…') ? quote[..^1] : quote;
        foreach (string utterance in utterances)
        {
            if (utterance.Contains(sentence, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Remove(string text, HashSet<string> quotes)
    {
        foreach (string quote in quotes)
        {
            text = text.Replace(quote, RemovedQuote, StringComparison.Ordinal);
        }

        return text;
    }
}

/// <summary>What a retention run did.</summary>
public sealed record RetentionResult(int UtterancesDeleted, int Students, int AssessmentsScrubbed)
{
    public static RetentionResult operator +(RetentionResult left, RetentionResult right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.UtterancesDeleted + right.UtterancesDeleted, left.Students + right.Students, left.AssessmentsScrubbed + right.AssessmentsScrubbed);
    }
}
