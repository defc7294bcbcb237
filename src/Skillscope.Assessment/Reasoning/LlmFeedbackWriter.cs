using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using OpenAI;
using OpenAI.Chat;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// Writes assessments' feedback with an LLM behind any OpenAI-compatible chat-completions endpoint:
/// redacted evidence, a token budget, a cache, call budgets, a concurrency cap, retries that honour
/// Retry-After and a circuit breaker. Whatever goes wrong, the assessment keeps its template text,
/// with the reason recorded and counted — an LLM never fails an assessment.
/// </summary>
public sealed class LlmFeedbackWriter : IDisposable
{
    private static readonly TimeSpan NamesFresh = TimeSpan.FromMinutes(5);

    private readonly ReasoningOptions _options;
    private readonly IFeedbackCache? _cache;
    private readonly TimeProvider _time;
    private readonly ChatClient? _client;
    private readonly ChatCompletionOptions _chat;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly ILlmCallBudget _budget;
    private readonly IDistrictLlmUsage? _districtUsage;
    private readonly LlmCallBudget? _ownBudget;
    private readonly SemaphoreSlim _calls;
    private readonly SemaphoreSlim _namesLock = new(1, 1);
    private readonly Lazy<PromptTokenCounter> _tokens;
    private Redactor? _redactor;
    private long _namesLoadedAt = long.MinValue;
    private int _lastCallFailed;

    /// <param name="options">The settings.</param>
    /// <param name="cache">Where written texts are kept, by what was sent.</param>
    /// <param name="time">The clock.</param>
    /// <param name="budget">A budget shared with other processes; without one, this process keeps its own.</param>
    /// <param name="meters">The application's meter factory (none: the instruments get a meter of their own).</param>
    /// <param name="districtUsage">Each district's texts of the day, for districts that set a limit (none: such districts get the template).</param>
    public LlmFeedbackWriter(ReasoningOptions options, IFeedbackCache? cache, TimeProvider? time = null, ILlmCallBudget? budget = null, IMeterFactory? meters = null,
        IDistrictLlmUsage? districtUsage = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Metrics = new ReasoningMetrics(meters);
        _cache = cache;
        _districtUsage = districtUsage;
        _time = time ?? TimeProvider.System;
        _ownBudget = budget is null ? new LlmCallBudget(options.CallsPerMinute, options.CallsPerHour) : null;
        _budget = budget ?? _ownBudget!;
        _calls = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        // Loaded on first use: a vocabulary is tens of megabytes, which an installation without an LLM never needs.
        _tokens = new Lazy<PromptTokenCounter>(() => PromptTokenCounter.ForModel(options.Model));
        _chat = new ChatCompletionOptions
        {
            MaxOutputTokenCount = options.MaxOutputTokens,
            Temperature = options.Temperature,
            ResponseFormat = options.StrictSchema
                ? ChatResponseFormat.CreateJsonSchemaFormat("assessment_feedback", BinaryData.FromString(FeedbackPrompt.OutputSchema), jsonSchemaIsStrict: true)
                : ChatResponseFormat.CreateJsonObjectFormat(),
        };
        if (options.DisabledReason is null)
        {
            // Retries are ours (Polly, honouring Retry-After); the SDK's own would multiply them.
            var clientOptions = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(5) };
            if (options.Endpoint is { } endpoint)
            {
                clientOptions.Endpoint = endpoint;
            }

            _client = new ChatClient(options.Model, new ApiKeyCredential(options.ApiKey!), clientOptions);
        }

        _pipeline = BuildPipeline(options, _circuit, _time);
    }

    public ReasoningOptions Options => _options;

    public ReasoningMetrics Metrics { get; }

    /// <summary>Whether prompts are measured with the model's own tokenizer (else estimated from above: the model's is not known).</summary>
    public bool ExactTokenCounts => _tokens.Value.Exact;

    /// <summary>"disabled" (no LLM configured or switched off), "degraded" (circuit open, or the last call failed) or "ok".</summary>
    public string Status => _options.DisabledReason is not null ? "disabled"
        : _circuit.CircuitState != CircuitState.Closed || Volatile.Read(ref _lastCallFailed) == 1 ? "degraded" : "ok";

    /// <summary>Adds feedback to each assessment; the LLM calls run concurrently up to the configured cap.</summary>
    public async Task<IReadOnlyList<StudentAssessment>> AddFeedbackAsync(IReadOnlyList<StudentAssessment> assessments, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        var written = new StudentAssessment[assessments.Count];
        if (_options.DisabledReason is not null || assessments.Count <= 1)
        {
            for (int i = 0; i < assessments.Count; i++)
            {
                written[i] = assessments[i] with { Feedback = await WriteAsync(assessments[i], cancellation).ConfigureAwait(false) };
            }

            return written;
        }

        // Twice the cap in flight: cache lookups proceed while other students wait for a call slot.
        await Parallel.ForEachAsync(Enumerable.Range(0, assessments.Count), new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency * 2, CancellationToken = cancellation },
            async (i, token) => written[i] = assessments[i] with { Feedback = await WriteAsync(assessments[i], token).ConfigureAwait(false) }).ConfigureAwait(false);
        return written;
    }

    /// <summary>The feedback for one assessment: the LLM's, a cached one, or the template's with the reason.</summary>
    public async Task<AssessmentFeedback> WriteAsync(StudentAssessment assessment, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        if (_options.DisabledReason is { } disabled)
        {
            return Template(assessment, disabled, count: false);
        }

        if (assessment.Coverage == 0 || assessment.Skills.Count == 0)
        {
            return Template(assessment, FeedbackReasons.NoEvidence, count: false);
        }

        if (assessment.Settings is { Llm: false })
        {
            return Template(assessment, FeedbackReasons.DistrictLlmOff, count: false);
        }

        Redactor redactor;
        try
        {
            redactor = await RedactorAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception failure) when (IsStoreFailure(failure))
        {
            // Without the roster's names nothing can be redacted, so nothing is sent.
            return Template(assessment, FeedbackReasons.RedactionUnavailable);
        }

        var prompt = FeedbackPrompt.Build(assessment, redactor, _options.MaxPromptTokens, _tokens.Value);
        if (prompt is null)
        {
            return Template(assessment, FeedbackReasons.OverBudget);
        }

        var clock = Stopwatch.StartNew();
        string? key = _cache is not null && _options.CacheTtl > TimeSpan.Zero ? prompt.CacheKey(_options.Model) : null;
        if (key is not null && await CachedAsync(key, cancellation).ConfigureAwait(false) is { } cached)
        {
            var hit = FromCache(cached, assessment);
            Metrics.CacheLookup(hit is not null);
            if (hit is not null)
            {
                return hit with { Reason = FeedbackReasons.Cached, LatencyMs = Milliseconds(clock) };
            }
        }
        else if (key is not null)
        {
            Metrics.CacheLookup(false);
        }

        // A district's daily limit counts texts the LLM writes: taken before the call, given back when it writes none.
        // A cached text costs nothing and is not counted.
        var day = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        string? limited = null;
        if (assessment.Settings is { LlmFeedbackPerDay: int perDay } settings)
        {
            if (!await TakeDistrictTextAsync(settings.District, perDay, day, cancellation).ConfigureAwait(false))
            {
                return Template(assessment, FeedbackReasons.DistrictBudgetSpent);
            }

            limited = settings.District;
        }

        AssessmentFeedback? feedback;
        string reason;
        try
        {
            (feedback, reason) = await CallAsync(assessment, prompt, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limited is not null)
        {
            await ReturnDistrictTextAsync(limited, day).ConfigureAwait(false);
            throw;
        }

        if (feedback is null)
        {
            if (limited is not null)
            {
                await ReturnDistrictTextAsync(limited, day).ConfigureAwait(false);
            }

            return Template(assessment, reason);
        }

        feedback = feedback with { LatencyMs = Milliseconds(clock) };
        Metrics.Wrote();
        Metrics.Latency.Record(clock.Elapsed.TotalSeconds);
        if (key is not null)
        {
            try
            {
                await _cache!.PutFeedbackAsync(key, AssessmentJson.SerializeFeedback(feedback), _time.GetUtcNow().UtcDateTime + _options.CacheTtl, assessment.StudentId, cancellation).ConfigureAwait(false);
            }
            catch (Exception failure) when (IsStoreFailure(failure))
            {
                // The text is good; only its reuse is lost.
            }
        }

        return feedback;
    }

    public void Dispose()
    {
        _ownBudget?.Dispose();
        _calls.Dispose();
        _namesLock.Dispose();
        Metrics.Dispose();
    }

    private async Task<(AssessmentFeedback? Feedback, string Reason)> CallAsync(StudentAssessment assessment, FeedbackPrompt prompt, CancellationToken cancellation)
    {
        // One span per student's feedback, retries inside it (the HTTP calls are its children); tag names follow OpenTelemetry's GenAI conventions.
        using var activity = AssessmentActivities.Source.StartActivity("chat " + _options.Model, ActivityKind.Client);
        activity?.SetTag("gen_ai.operation.name", "chat");
        activity?.SetTag("gen_ai.request.model", _options.Model);
        var result = await CallOnceAsync(assessment, prompt, activity, cancellation).ConfigureAwait(false);
        if (result.Reason != FeedbackReasons.Written)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Reason);
        }

        return result;
    }

    private async Task<(AssessmentFeedback? Feedback, string Reason)> CallOnceAsync(StudentAssessment assessment, FeedbackPrompt prompt, Activity? activity, CancellationToken cancellation)
    {
        ChatMessage[] messages = [new SystemChatMessage(prompt.System), new UserChatMessage(prompt.User)];
        await _calls.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var completion = await _pipeline.ExecuteAsync(async token =>
            {
                if (!await _budget.TryTakeAsync(token).ConfigureAwait(false))
                {
                    throw new CallBudgetExhaustedException();
                }

                try
                {
                    var result = (await _client!.CompleteChatAsync(messages, _chat, token).ConfigureAwait(false)).Value;
                    Count("ok");
                    return result;
                }
                catch (ClientResultException failure)
                {
                    Count(failure.Status == 0 ? "unreachable" : "http_" + failure.Status.ToString(CultureInfo.InvariantCulture));
                    throw;
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    Count("timeout");
                    throw;
                }
                catch (Exception failure) when (failure is not (OperationCanceledException or CallBudgetExhaustedException))
                {
                    // A connection refused, or an answer the SDK cannot read (malformed JSON, wrong shape).
                    Count("error");
                    throw;
                }
            }, cancellation).ConfigureAwait(false);

            int tokensIn = completion.Usage?.InputTokenCount ?? 0, tokensOut = completion.Usage?.OutputTokenCount ?? 0;
            activity?.SetTag("gen_ai.usage.input_tokens", tokensIn);
            activity?.SetTag("gen_ai.usage.output_tokens", tokensOut);
            Metrics.Tokens.Add(tokensIn, new KeyValuePair<string, object?>("direction", "in"));
            Metrics.Tokens.Add(tokensOut, new KeyValuePair<string, object?>("direction", "out"));
            Metrics.Cost.Add(((tokensIn * _options.InputPricePerMillion) + (tokensOut * _options.OutputPricePerMillion)) / 1_000_000);
            string? content = completion.Content.Count > 0 ? completion.Content[0].Text : null;
            var (feedback, _) = LlmFeedbackOutput.Parse(content, assessment, _options.Model, prompt.Said);
            return feedback is null
                ? (null, FeedbackReasons.InvalidOutput)
                : (feedback with { TokensIn = completion.Usage?.InputTokenCount, TokensOut = completion.Usage?.OutputTokenCount }, FeedbackReasons.Written);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw;
        }
        catch (CallBudgetExhaustedException)
        {
            return (null, FeedbackReasons.RateLimited);
        }
        catch (BrokenCircuitException)
        {
            return (null, FeedbackReasons.CircuitOpen);
        }
        catch (TimeoutRejectedException)
        {
            return (null, FeedbackReasons.Timeout);
        }
        catch (ClientResultException failure) when (failure.Status == 429)
        {
            return (null, FeedbackReasons.UpstreamRateLimited);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            // Whatever else the endpoint or the SDK did, the assessment keeps its template text.
            return (null, FeedbackReasons.UpstreamError);
        }
        finally
        {
            _calls.Release();
        }
    }

    /// <summary>The cached text, or null on a miss — or when the cache cannot be read (the LLM is asked instead).</summary>
    private async Task<string?> CachedAsync(string key, CancellationToken cancellation)
    {
        try
        {
            return await _cache!.GetFeedbackAsync(key, _time.GetUtcNow().UtcDateTime, cancellation).ConfigureAwait(false);
        }
        catch (Exception failure) when (IsStoreFailure(failure))
        {
            return null;
        }
    }

    private static bool IsStoreFailure(Exception failure) =>
        failure is System.Data.Common.DbException or InvalidOperationException or TimeoutException or IOException;

    private void Count(string outcome)
    {
        Volatile.Write(ref _lastCallFailed, outcome == "ok" ? 0 : 1);
        Metrics.Calls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    private AssessmentFeedback Template(StudentAssessment assessment, string reason, bool count = true)
    {
        if (count)
        {
            Metrics.Fallback(reason);
        }

        return assessment.Feedback.Source == "template" && assessment.Feedback.Reason == reason
            ? assessment.Feedback
            : TemplateFeedback.Write(assessment.StudentId, assessment.Coverage, assessment.Skills, reason, assessment.Bands);
    }

    private static AssessmentFeedback? FromCache(string json, StudentAssessment assessment)
    {
        try
        {
            var feedback = AssessmentJson.DeserializeFeedback(json);

            // Skills and bands come from this assessment: the same prompt means the same skills and bands.
            return feedback.Skills.Count == assessment.Skills.Count ? feedback : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async ValueTask<bool> TakeDistrictTextAsync(string district, int limit, DateOnly day, CancellationToken cancellation)
    {
        if (_districtUsage is null || limit <= 0)
        {
            return false;
        }

        try
        {
            return await _districtUsage.TryTakeAsync(district, day, limit, cancellation).ConfigureAwait(false);
        }
        catch (Exception failure) when (IsStoreFailure(failure))
        {
            // The limit cannot be checked: no call is made, rather than risk the district's limit.
            return false;
        }
    }

    private async ValueTask ReturnDistrictTextAsync(string district, DateOnly day)
    {
        try
        {
            // Given back even when the request was cancelled meanwhile: nothing was written with it.
            await _districtUsage!.ReturnAsync(district, day, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception failure) when (IsStoreFailure(failure))
        {
            // Lost only for the day: the district's limit is kept, never passed.
        }
    }

    private async Task<Redactor> RedactorAsync(CancellationToken cancellation)
    {
        long now = _time.GetTimestamp();
        if (_redactor is { } current && _time.GetElapsedTime(Interlocked.Read(ref _namesLoadedAt), now) < NamesFresh)
        {
            return current;
        }

        await _namesLock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (_redactor is null || _time.GetElapsedTime(Interlocked.Read(ref _namesLoadedAt), now) >= NamesFresh)
            {
                _redactor = new Redactor(_cache is null ? [] : await _cache.RosterNamesAsync(cancellation).ConfigureAwait(false));
                Interlocked.Exchange(ref _namesLoadedAt, _time.GetTimestamp());
            }

            return _redactor;
        }
        finally
        {
            _namesLock.Release();
        }
    }

    private static double Milliseconds(Stopwatch clock) => Math.Round(clock.Elapsed.TotalMilliseconds, 3);

    private static ResiliencePipeline BuildPipeline(ReasoningOptions options, CircuitBreakerStateProvider circuit, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,

                // A Retry-After longer than we are willing to wait ends the attempts: the template is used now.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } failure && IsTransient(failure)
                    && (RetryAfter(failure) is not { } wait || wait <= options.MaxRetryAfter)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryAfter,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } failure ? RetryAfter(failure) : null),
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumCalls,
                SamplingDuration = options.BreakerSampling,
                BreakDuration = options.BreakerOpenFor,
                StateProvider = circuit,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
            })
            .AddTimeout(options.Timeout)
            .Build();
    }

    /// <summary>Failures worth another try and counted by the breaker: no answer, too slow, throttled, or a server error.</summary>
    private static bool IsTransient(Exception? failure) =>
        failure is ClientResultException { Status: 0 or 408 or 429 or >= 500 } or TimeoutRejectedException or HttpRequestException;

    /// <summary>The wait a 429 or 503 asked for in Retry-After (seconds or an HTTP date), if any.</summary>
    private static TimeSpan? RetryAfter(Exception failure)
    {
        if (failure is not ClientResultException { } result || result.GetRawResponse() is not { } response
            || !response.Headers.TryGetValue("Retry-After", out string? value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero
            : null;
    }

    /// <summary>The process's call budget is spent: the template is used at once.</summary>
    private sealed class CallBudgetExhaustedException : Exception;
}
