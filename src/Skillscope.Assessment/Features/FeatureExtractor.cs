using Skillscope.Assessment.Evidence;

namespace Skillscope.Assessment.Features;

/// <summary>
/// Turns a student's utterances and behavior events into feature set 1. Deterministic; a source with
/// no evidence gives NaN for all its features (never 0), and a ratio with nothing to divide by is NaN.
/// One instance reuses its buffers: use one per thread.
/// </summary>
public sealed class FeatureExtractor
{
    private const int DiversityWords = 300;
    private const int PeerResponseWindow = 6;

    private static readonly MarkerMatcher Matcher = new(Lexicons.All);

    // Lexicon order in Lexicons.All → the feature each category's rate feeds (null: sentiment only).
    private static readonly string?[] CategoryFeature =
    [
        "positive_emotion_rate", "negative_emotion_rate", null, null, "empathy_marker_rate", "perspective_taking_rate", "hedging_rate",
        "cognitive_process_rate", "future_tense_rate", "growth_language_rate", "first_person_plural_rate", "turn_taking_rate",
    ];

    private const int PeerResponseCategory = 11;

    private char[] _lower = new char[1024];
    private Token[] _tokens = new Token[256];
    private readonly HashSet<string> _distinct = new(FastOrdinalComparer.Instance);
    private readonly HashSet<string> _sessions = new(FastOrdinalComparer.Instance);
    private readonly Dictionary<(string Session, string Task), TaskState> _tasks = new(FastOrdinalComparer.Instance);
    private readonly List<double> _latencies = [];

    public StudentFeatures Extract(IReadOnlyList<Utterance> utterances, IReadOnlyList<BehaviorEvent> events)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(events);
        var values = new float[FeatureSet.Count];
        Array.Fill(values, float.NaN);
        var exemplars = new Dictionary<string, string>(StringComparer.Ordinal);
        Linguistic(utterances, values, exemplars);
        Behavioral(events, values);
        values[25] = Engagement(values);
        int present = 0;
        foreach (float v in values)
        {
            present += float.IsNaN(v) ? 0 : 1;
        }

        return new StudentFeatures(values, (double)present / FeatureSet.Count, exemplars);
    }

    private void Linguistic(IReadOnlyList<Utterance> utterances, float[] values, Dictionary<string, string> exemplars)
    {
        if (utterances.Count == 0)
        {
            return;
        }

        Span<int> counts = stackalloc int[Matcher.Categories];
        Span<int> utteranceCounts = stackalloc int[Matcher.Categories];
        Span<int> busy = stackalloc int[Matcher.Categories];
        Span<int> firstAt = stackalloc int[Matcher.Categories];
        counts.Clear();
        _distinct.Clear();
        var distinct = _distinct.GetAlternateLookup<ReadOnlySpan<char>>();
        long words = 0, sentences = 0, diversityWords = 0;
        int questions = 0, peerResponses = 0;
        foreach (var utterance in utterances)
        {
            string text = utterance.Text ?? "";
            sentences += Scan(text, out int tokenCount);
            ReadOnlySpan<char> lower = _lower.AsSpan(0, text.Length);
            ReadOnlySpan<Token> tokens = _tokens.AsSpan(0, tokenCount);
            words += tokens.Length;
            if (text.Contains('?', StringComparison.Ordinal))
            {
                questions++;
                exemplars.TryAdd("question_rate", SentenceAround(text, text.IndexOf('?', StringComparison.Ordinal)));
            }

            for (int t = 0; t < tokens.Length && diversityWords < DiversityWords; t++, diversityWords++)
            {
                var word = lower.Slice(tokens[t].Start, tokens[t].Length);
                if (!distinct.Contains(word))
                {
                    distinct.Add(word);
                }
            }

            utteranceCounts.Clear();
            Matcher.Count(lower, tokens, utteranceCounts, busy, firstAt);
            for (int c = 0; c < counts.Length; c++)
            {
                counts[c] += utteranceCounts[c];
                if (firstAt[c] >= 0 && CategoryFeature[c] is { } feature && !exemplars.ContainsKey(feature)
                    && (c != PeerResponseCategory || firstAt[c] < PeerResponseWindow))
                {
                    exemplars[feature] = SentenceAround(text, tokens[firstAt[c]].Start);
                }
            }

            peerResponses += firstAt[PeerResponseCategory] is >= 0 and < PeerResponseWindow ? 1 : 0;
        }

        int n = utterances.Count;
        double per100 = words > 0 ? 100.0 / words : double.NaN;
        int positive = counts[0] + counts[2], negative = counts[1] + counts[3];
        values[0] = n;
        values[1] = (float)((double)words / n);
        values[2] = sentences > 0 ? (float)((double)words / sentences) : float.NaN;
        values[3] = diversityWords > 0 ? (float)((double)_distinct.Count / diversityWords) : float.NaN;
        values[4] = positive + negative > 0 ? (float)((double)(positive - negative) / (positive + negative)) : 0f;
        values[5] = (float)(counts[0] * per100);
        values[6] = (float)(counts[1] * per100);
        values[7] = (float)(counts[4] * per100);
        values[8] = (float)(counts[5] * per100);
        values[9] = (float)((double)questions / n);
        values[10] = (float)(counts[10] * per100);
        values[11] = (float)(counts[6] * per100);
        values[12] = (float)(counts[7] * per100);
        values[13] = (float)(counts[8] * per100);
        values[14] = (float)(counts[9] * per100);
        values[15] = (float)((double)peerResponses / n);
    }

    private void Behavioral(IReadOnlyList<BehaviorEvent> events, float[] values)
    {
        if (events.Count == 0)
        {
            return;
        }

        int started = 0, completed = 0, failed = 0, retries = 0, hints = 0, help = 0, collaboration = 0;
        var sessions = _sessions;
        var tasks = _tasks;
        var latencies = _latencies;
        sessions.Clear();
        tasks.Clear();
        latencies.Clear();
        string? lastSession = null;
        foreach (var e in events)
        {
            // Events come grouped by session: hash a session id only when it changes.
            if (!string.Equals(e.SessionId, lastSession, StringComparison.Ordinal))
            {
                sessions.Add(e.SessionId);
                lastSession = e.SessionId;
            }

            var key = (e.SessionId, e.TaskId ?? "");
            switch (e.Kind)
            {
                case BehaviorKinds.TaskStarted:
                    started++;
                    if (e.TaskId is not null)
                    {
                        tasks.TryAdd(key, new TaskState(e.At, null, 0, false));
                    }

                    break;
                case BehaviorKinds.TaskCompleted:
                    completed++;
                    if (tasks.TryGetValue(key, out var done))
                    {
                        tasks[key] = done with { Completed = true, Ended = e.At };
                    }

                    break;
                case BehaviorKinds.TaskFailed:
                    failed++;
                    if (tasks.TryGetValue(key, out var lost))
                    {
                        tasks[key] = lost with { Failures = lost.Failures + 1, Ended = e.At };
                    }

                    break;
                case BehaviorKinds.Retry:
                    retries++;
                    break;
                case BehaviorKinds.HintUsed:
                    hints++;
                    break;
                case BehaviorKinds.HelpRequested:
                    help++;
                    break;
                case BehaviorKinds.CollaborationAction:
                    collaboration++;
                    break;
                case BehaviorKinds.Response when e.LatencyMs is double latency && double.IsFinite(latency) && latency >= 0:
                    latencies.Add(latency);
                    break;
            }
        }

        double minutes = 0;
        int timed = 0, setbacks = 0, recovered = 0;
        foreach (var task in tasks.Values)
        {
            if (task.Ended is DateTime ended && ended >= task.Started)
            {
                minutes += (ended - task.Started).TotalMinutes;
                timed++;
            }

            if (task.Failures > 0)
            {
                setbacks++;
                recovered += task.Completed ? 1 : 0;
            }
        }

        values[16] = started > 0 ? Math.Min(1f, (float)completed / started) : float.NaN;
        values[17] = failed > 0 ? Math.Min(1f, (float)retries / failed) : float.NaN;
        values[18] = timed > 0 ? (float)(minutes / timed) : float.NaN;
        values[19] = started > 0 ? (float)help / started : float.NaN;
        values[20] = started > 0 ? (float)hints / started : float.NaN;
        values[21] = setbacks > 0 ? (float)recovered / setbacks : float.NaN;
        values[22] = (float)collaboration / sessions.Count;
        values[23] = latencies.Count > 0 ? (float)(Median(latencies) / 1000) : float.NaN;
        values[24] = sessions.Count;
    }

    private static float Engagement(float[] values)
    {
        double sum = 0;
        int parts = 0;
        foreach (var part in new[] { float.IsNaN(values[0]) ? double.NaN : Math.Min(1, values[0] / 30.0), float.IsNaN(values[24]) ? double.NaN : Math.Min(1, values[24] / 10.0), values[16] })
        {
            if (!double.IsNaN(part))
            {
                sum += part;
                parts++;
            }
        }

        return parts > 0 ? (float)(sum / parts) : float.NaN;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>
    /// One pass over an utterance: lowercases it into the reusable buffer (same length, so positions
    /// match the original; ’ becomes '), finds its words (runs of letters and digits with inner
    /// apostrophes) into the token buffer and counts its sentences (runs of . ! ?, plus any words after
    /// the last one).
    /// </summary>
    /// <returns>The number of sentences.</returns>
    private int Scan(string text, out int tokenCount)
    {
        if (_lower.Length < text.Length)
        {
            _lower = new char[Math.Max(text.Length, _lower.Length * 2)];
        }

        var lower = _lower.AsSpan(0, text.Length);
        int count = 0, sentences = 0, start = -1;
        bool inTerminator = false, wordsSinceTerminator = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            char l = c == '\u2019' ? '\'' : char.ToLowerInvariant(c);
            lower[i] = l;
            bool wordChar = char.IsLetterOrDigit(c) || (l == '\'' && start >= 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]));
            if (wordChar)
            {
                start = start < 0 ? i : start;
                wordsSinceTerminator = true;
            }
            else if (start >= 0)
            {
                AddToken(ref count, start, i - start);
                start = -1;
            }

            bool terminator = c is '.' or '!' or '?';
            if (terminator && !inTerminator && wordsSinceTerminator)
            {
                sentences++;
                wordsSinceTerminator = false;
            }

            inTerminator = terminator;
        }

        if (start >= 0)
        {
            AddToken(ref count, start, text.Length - start);
        }

        tokenCount = count;
        return sentences + (wordsSinceTerminator ? 1 : 0);
    }

    private void AddToken(ref int count, int start, int length)
    {
        if (count == _tokens.Length)
        {
            Array.Resize(ref _tokens, _tokens.Length * 2);
        }

        _tokens[count++] = new Token(start, length);
    }

    /// <summary>The sentence of <paramref name="text"/> around position <paramref name="at"/>, trimmed, at most 200 characters.</summary>
    /// <remarks>
    /// A '.', '!' or '?' ends a sentence only before white space, a closing quote or bracket, or the end:
    /// "maya.okafor@home.org", "site.com/page" and "3.5" stay whole, so the redactor sees an e-mail
    /// address or a link entire before the quote leaves the process.
    /// </remarks>
    internal static string SentenceAround(string text, int at)
    {
        int start = at;
        while (start > 0 && !EndsSentence(text, start - 1))
        {
            start--;
        }

        int end = at;
        while (end < text.Length && !EndsSentence(text, end))
        {
            end++;
        }

        end = Math.Min(text.Length, end + 1);
        var sentence = text[start..end].Trim();
        return sentence.Length <= 200 ? sentence : sentence[..197] + "…";
    }

    private static bool EndsSentence(string text, int i) =>
        text[i] is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]) || text[i + 1] is '"' or '\'' or ')' or ']' or '\u201D' or '\u2019');

    private readonly record struct TaskState(DateTime Started, DateTime? Ended, int Failures, bool Completed);
}
