using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Reasoning;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Settings;
using Skillscope.Server.Hosting;
using Skillscope.Storage;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Server.Tests.Reasoning;

/// <summary>
/// LLM feedback through the official OpenAI SDK against a local OpenAI-compatible server: success and
/// every failure mode — each failure ends in template text with its reason, never a failed assessment.
/// </summary>
public sealed class LlmFeedbackWriterTests : IAsyncLifetime
{
    // The model the writer is configured with below: its prompts are counted with o200k, as the fake server's usage.
    private static readonly PromptTokenCounter Gpt4o = PromptTokenCounter.ForModel("gpt-4o-mini");

    private const string Key = "sk-test-5f1c0a9e7d";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "skillscope-tests", Guid.NewGuid().ToString("N"));
    private FakeChatServer _server = null!;
    private SqlRegistryStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeChatServer.StartAsync();
        _store = await StoreFactory.OpenAsync(new ServerOptions(_directory));
        await _store.Assessments.Evidence.UpsertRosterAsync(new RosterRows(
            [new District("d1", "North")], [new School("s1", "d1", "Hill School")], [new Teacher("t1", "s1", "Ana Rivera", "ana.rivera@school.example")],
            [new SchoolClass("c1", "s1", "5A", 5, "t1")], [new Student("st1", "c1", "Maya", "Okafor", 5), new Student("st2", "c1", "Will", "Brown", 5)]));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_llm_writes_feedback_with_its_source_model_prompt_version_tokens_and_latency()
    {
        using var writer = Writer();
        var feedback = await writer.WriteAsync(SampleAssessments.Create("st1", "I asked my partner how she felt about it."));

        Assert.Equal(("llm", FeedbackReasons.Written, FeedbackPrompt.Version, "gpt-4o-mini"), (feedback.Source, feedback.Reason, feedback.PromptVersion, feedback.Model));
        Assert.Equal(7, feedback.Skills.Count);
        Assert.All(feedback.Skills, s => Assert.Contains("practise", s.NextStep, StringComparison.Ordinal));
        Assert.Equal(2, feedback.NextSteps.Count);
        Assert.True(feedback.TokensIn > 100 && feedback.TokensOut > 50, $"usage {feedback.TokensIn}/{feedback.TokensOut}");
        Assert.True(feedback.LatencyMs > 0);

        using var request = JsonDocument.Parse(_server.Bodies.Single());
        Assert.Equal("Bearer " + Key, _server.Authorizations.Single());
        Assert.Equal("json_schema", request.RootElement.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal(800, request.RootElement.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("ok", writer.Status);
        Assert.Equal(1, writer.Metrics.WrittenCount);
    }

    [Fact]
    public async Task A_slow_answer_past_the_timeout_falls_back_to_the_template()
    {
        _server.Behaviour = _ => FakeReply.Slow(TimeSpan.FromSeconds(5));
        using var writer = Writer(o => o with { Timeout = TimeSpan.FromMilliseconds(300), MaxRetries = 0 });
        var clock = Stopwatch.StartNew();
        var feedback = await writer.WriteAsync(SampleAssessments.Create("st1", "I kept trying."));

        Assert.Equal(("template", FeedbackReasons.Timeout), (feedback.Source, feedback.Reason));
        Assert.Equal(7, feedback.Skills.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.Equal("degraded", writer.Status);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_time_Retry_After_asks_for()
    {
        _server.Behaviour = call => call == 1 ? new FakeReply(429, RetryAfter: "1") : FakeReply.Good;
        using var writer = Writer(o => o with { RetryDelay = TimeSpan.FromMilliseconds(10) });
        var clock = Stopwatch.StartNew();
        var feedback = await writer.WriteAsync(SampleAssessments.Create("st1", "We fixed it together."));

        Assert.Equal(("llm", 2), (feedback.Source, _server.Calls));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}, before Retry-After");
    }

    [Fact]
    public async Task A_429_asking_for_a_long_wait_uses_the_template_at_once()
    {
        _server.Behaviour = _ => new FakeReply(429, RetryAfter: "120");
        using var writer = Writer();
        var feedback = await writer.WriteAsync(SampleAssessments.Create("st1", "We fixed it together."));

        Assert.Equal(("template", FeedbackReasons.UpstreamRateLimited, 1), (feedback.Source, feedback.Reason, _server.Calls));
    }

    [Fact]
    public async Task Server_errors_are_retried_a_few_times_then_the_template_is_used()
    {
        _server.Behaviour = _ => new FakeReply(500);
        using var writer = Writer(o => o with { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) });
        var feedback = await writer.WriteAsync(SampleAssessments.Create("st1", "It was hard but I did it."));

        Assert.Equal(("template", FeedbackReasons.UpstreamError, 3), (feedback.Source, feedback.Reason, _server.Calls));
    }

    [Theory]
    [InlineData("{not json at all")]
    [InlineData("""{"choices": "nope"}""")]
    [InlineData("")]
    public async Task A_malformed_response_body_falls_back_to_the_template(string body)
    {
        _server.Behaviour = _ => new FakeReply(RawBody: body);
        using var writer = Writer(o => o with { MaxRetries = 0 });
        var feedback = await writer.WriteAsync(SampleAssessments.Create("st1", "I listened first."));

        Assert.Equal("template", feedback.Source);
        Assert.Contains(feedback.Reason, new[] { FeedbackReasons.UpstreamError, FeedbackReasons.InvalidOutput });
    }

    [Theory]
    [InlineData("""{"summary": "Fine."}""")]
    [InlineData("""{"summary": "ok", "strengths": [], "skills": [{"skill": "empathy", "feedback": "x", "next_step": "y"}]}""")]
    [InlineData("the student is doing well")]
    [InlineData("""{"summary": "The student seems lazy.", "strengths": [], "skills": []}""")]
    public async Task Invalid_structured_output_falls_back_to_the_template(string content)
    {
        _server.Behaviour = _ => new FakeReply(Content: content);
        using var writer = Writer();
        var feedback = await writer.WriteAsync(SampleAssessments.Create("st1", "I listened first."));

        Assert.Equal(("template", FeedbackReasons.InvalidOutput, 1), (feedback.Source, feedback.Reason, _server.Calls));
    }

    [Fact]
    public async Task Labelling_language_is_refused()
    {
        using var assessment = JsonDocument.Parse(FakeChatServer.GoodContent(
            FeedbackPrompt.Build(SampleAssessments.Create("st1", "ok"), new Redactor([]), 10_000, Gpt4o)!.User));
        string labelled = assessment.RootElement.GetRawText().Replace("shows a clear starting point", "may have ADHD", StringComparison.Ordinal);
        _server.Behaviour = _ => new FakeReply(Content: labelled);
        using var writer = Writer();
        var feedback = await writer.WriteAsync(SampleAssessments.Create("st1", "ok"));

        Assert.Equal(("template", FeedbackReasons.InvalidOutput), (feedback.Source, feedback.Reason));
    }

    [Theory]
    [InlineData("has a fused score of 0.71", false)]
    [InlineData("shows it in the ML score", false)]
    [InlineData("was scored by skill_empathy@1.0.0", false)]
    [InlineData("has a high empathy_marker_rate", false)]
    [InlineData("has three skills that are strengths", false)]                // the bands show two
    [InlineData("has 3 of 7 skills that show as strengths", false)]
    [InlineData("has 99999999999 skills that are strengths", false)]
    [InlineData("once said \u201cI always help my friends with their homework\u201d", false)]   // words the evidence does not hold
    [InlineData("has 2 of 7 skills that show as strengths", true)]
    [InlineData("counts empathy as one of their strengths", true)]             // no count of the band
    [InlineData("said \u201cI asked my partner how she felt\u201d", true)]  // the student's own sentence
    public async Task Technical_terms_wrong_counts_and_invented_quotes_are_refused(string claim, bool accepted)
    {
        var sample = SampleAssessments.Create("st1", "I asked my partner how she felt about it.");
        using var assessment = JsonDocument.Parse(FakeChatServer.GoodContent(FeedbackPrompt.Build(sample, new Redactor([]), 10_000, Gpt4o)!.User));
        string answer = assessment.RootElement.GetRawText().Replace("shows several emerging strengths", claim, StringComparison.Ordinal)
            .Replace("with a partner.", "with a partner, and ask them to name two strengths in the partner's plan.", StringComparison.Ordinal);
        _server.Behaviour = _ => new FakeReply(Content: answer);
        using var writer = Writer();
        var feedback = await writer.WriteAsync(sample);

        Assert.Equal(accepted ? ("llm", FeedbackReasons.Written) : ("template", FeedbackReasons.InvalidOutput), (feedback.Source, feedback.Reason));
    }

    [Fact]
    public async Task Evidence_is_cut_to_fit_the_budget_and_a_prompt_that_cannot_fit_is_not_sent()
    {
        var assessment = SampleAssessments.Create("st1", "I asked my partner how she felt about it.");
        var full = FeedbackPrompt.Build(assessment, new Redactor([]), 100_000, Gpt4o)!;
        int all = full.PromptTokens;
        Assert.Equal((35, FakeChatServer.PromptTokens([full.System, full.User])), (full.EvidenceItems, all));

        var cut = FeedbackPrompt.Build(assessment, new Redactor([]), all - 1, Gpt4o)!;
        Assert.Equal(10, cut.EvidenceItems);
        Assert.True(cut.PromptTokens <= all - 1);

        using var tight = Writer(o => o with { MaxPromptTokens = 200 });
        var feedback = await tight.WriteAsync(assessment);
        Assert.Equal(("template", FeedbackReasons.OverBudget, 0), (feedback.Source, feedback.Reason, _server.Calls));

        using var fitting = Writer(o => o with { MaxPromptTokens = cut.PromptTokens });
        Assert.Equal("llm", (await fitting.WriteAsync(assessment)).Source);
        using var sent = JsonDocument.Parse(_server.UserMessages().Single());
        Assert.Equal(10, sent.RootElement.GetProperty("skills").EnumerateArray().Sum(s => s.GetProperty("evidence").GetArrayLength()));
    }

    [Fact]
    public async Task The_same_evidence_is_answered_from_the_cache()
    {
        using var writer = Writer();
        var first = await writer.WriteAsync(SampleAssessments.Create("st1", "We shared the blocks."));
        var second = await writer.WriteAsync(SampleAssessments.Create("st1", "We shared the blocks."));
        using (var other = Writer())
        {
            // The cache is in the database: another process (replica) finds it too.
            Assert.Equal(FeedbackReasons.Cached, (await other.WriteAsync(SampleAssessments.Create("st1", "We shared the blocks."))).Reason);
        }

        Assert.Equal((FeedbackReasons.Written, FeedbackReasons.Cached, 1), (first.Reason, second.Reason, _server.Calls));
        Assert.Equal(("llm", first.Summary, first.TokensIn), (second.Source, second.Summary, second.TokensIn));
        Assert.Equal(0.5, writer.Metrics.CacheHitRate);

        using var expired = Writer(o => o with { CacheTtl = TimeSpan.Zero });
        Assert.Equal(FeedbackReasons.Written, (await expired.WriteAsync(SampleAssessments.Create("st1", "We shared the blocks."))).Reason);
        Assert.Equal(2, _server.Calls);
    }

    [Fact]
    public async Task Names_emails_and_phone_numbers_never_reach_the_server()
    {
        using var writer = Writer();
        var feedback = await writer.WriteAsync(SampleAssessments.Create("st1",
            "Maya said Ms. Rivera can mail maya.okafor@home.example or call 555-123-4567 and Will will help, said Okafor's friend."));
        Assert.Equal("llm", feedback.Source);

        string sent = Encoding.UTF8.GetString(_server.Bodies.Single());
        foreach (string secret in new[] { "Maya", "maya", "Okafor", "Rivera", "home.example", "555-123-4567", "4567", "Will ", "st1" })
        {
            Assert.DoesNotContain(secret, sent, StringComparison.Ordinal);
        }

        Assert.Contains("[name] said Ms. [name] can mail [email] or call [phone] and [name] will help, said [name]'s friend.", _server.UserMessages().Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exhausted_call_budget_means_template_text_and_a_metric_not_a_wait()
    {
        using var writer = Writer(o => o with { CallsPerMinute = 2 });
        var assessments = Enumerable.Range(0, 4).Select(i => SampleAssessments.Create("st" + i, $"Sentence number {i}.")).ToList();
        var clock = Stopwatch.StartNew();
        var written = await writer.AddFeedbackAsync(assessments);

        Assert.Equal(4, written.Count);
        Assert.Equal(2, written.Count(a => a.Feedback.Source == "llm"));
        Assert.Equal(2, written.Count(a => a.Feedback.Reason == FeedbackReasons.RateLimited));
        Assert.Equal(2, _server.Calls);
        Assert.Equal(2, writer.Metrics.FallbackCount);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [RequiresPostgresFact]
    public async Task Replicas_on_a_shared_database_spend_one_call_budget_together()
    {
        await using var database = await ScratchPostgresDatabase.CreateAsync("skillscope_budget");
        var stores = new List<SqlRegistryStore>();
        var writers = new List<LlmFeedbackWriter>();
        try
        {
            for (int replica = 0; replica < 3; replica++)
            {
                var store = SqlRegistryStore.Postgres(database.ConnectionString);
                await store.MigrateAsync();
                stores.Add(store);
                var options = Options() with { CallsPerMinute = 5 };
                writers.Add(new LlmFeedbackWriter(options, null, budget: store.SharedLlmCallBudget(options.CallsPerMinute, options.CallsPerHour)));
            }

            var written = await Task.WhenAll(writers.Select((writer, replica) => writer.AddFeedbackAsync(
                Enumerable.Range(0, 10).Select(i => SampleAssessments.Create("st1", $"Replica {replica} sentence {i}.")).ToList())));

            var reasons = written.SelectMany(w => w).Select(a => a.Feedback.Reason).ToList();
            Assert.Equal(5, _server.Calls);
            Assert.Equal(5, reasons.Count(r => r == FeedbackReasons.Written));
            Assert.Equal(25, reasons.Count(r => r == FeedbackReasons.RateLimited));
        }
        finally
        {
            writers.ForEach(w => w.Dispose());
            stores.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_districts_own_switch_and_daily_limit_decide_whether_the_llm_writes_its_students_feedback()
    {
        using var writer = new LlmFeedbackWriter(Options() with { MaxRetries = 0 }, null, districtUsage: _store.Assessments.DistrictLlmUsage);
        var bands = new SkillBands(0.9, 0.2);
        var off = SampleAssessments.Create("st1", "I asked my partner how she felt about it.") with { Settings = new AppliedSettings("d1:1", "d1", bands, Llm: false, null) };
        var feedback = await writer.WriteAsync(off);
        Assert.Equal(("template", FeedbackReasons.DistrictLlmOff), (feedback.Source, feedback.Reason));
        Assert.All(feedback.Skills, s => Assert.Equal(bands.Of(off.Skills.Single(a => a.Skill == s.Skill).Fused), s.Band));
        Assert.Equal(0, _server.Calls);

        // Two texts a day: a call that fails gives its text back; the third written one of the day is the template, and nothing is sent for it.
        var limited = new AppliedSettings("d1:2", "d1", bands, Llm: true, LlmFeedbackPerDay: 2);
        _server.Behaviour = _ => new FakeReply(503);
        Assert.Equal(FeedbackReasons.UpstreamError, (await writer.WriteAsync(SampleAssessments.Create("st1", "A call that fails.") with { Settings = limited })).Reason);
        _server.Behaviour = _ => FakeReply.Good;
        int failedCalls = _server.Calls;
        var reasons = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var assessment = SampleAssessments.Create("st1", $"Sentence number {i} of the day.") with { Settings = limited };
            var written = await writer.WriteAsync(assessment);
            reasons.Add(written.Reason);
            if (written.Source == "llm")
            {
                // The prompt told the LLM the district's bands: its text is kept with them.
                Assert.All(written.Skills, s => Assert.Equal(bands.Of(assessment.Skills.Single(a => a.Skill == s.Skill).Fused), s.Band));
            }
        }

        Assert.Equal([FeedbackReasons.Written, FeedbackReasons.Written, FeedbackReasons.DistrictBudgetSpent], reasons);
        Assert.Equal(failedCalls + 2, _server.Calls);

        // Another district's limit is its own.
        var other = SampleAssessments.Create("st2", "Another district's sentence.") with { Settings = limited with { District = "d2", Version = "d2:1" } };
        Assert.Equal(FeedbackReasons.Written, (await writer.WriteAsync(other)).Reason);
    }

    [Fact]
    public async Task An_open_circuit_sends_everything_to_the_template_without_calling()
    {
        _server.Behaviour = _ => new FakeReply(503);
        using var writer = Writer(o => o with { MaxRetries = 0, BreakerMinimumCalls = 2, BreakerFailureRatio = 0.5 });
        var reasons = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            reasons.Add((await writer.WriteAsync(SampleAssessments.Create("st1", $"Attempt {i}."))).Reason);
        }

        Assert.Equal([FeedbackReasons.UpstreamError, FeedbackReasons.UpstreamError, FeedbackReasons.CircuitOpen, FeedbackReasons.CircuitOpen, FeedbackReasons.CircuitOpen], reasons);
        Assert.Equal(2, _server.Calls);
        Assert.Equal("degraded", writer.Status);
    }

    [Fact]
    public async Task A_database_that_fails_never_fails_an_assessment_nor_lets_unredacted_text_out()
    {
        using var noNames = new LlmFeedbackWriter(Options(), new FailingCache(failNames: true));
        var refused = await noNames.WriteAsync(SampleAssessments.Create("st1", "Maya helped me."));
        Assert.Equal(("template", FeedbackReasons.RedactionUnavailable, 0), (refused.Source, refused.Reason, _server.Calls));

        using var noCache = new LlmFeedbackWriter(Options(), new FailingCache(failNames: false));
        var written = await noCache.WriteAsync(SampleAssessments.Create("st1", "Maya helped me."));
        Assert.Equal(("llm", FeedbackReasons.Written, 1), (written.Source, written.Reason, _server.Calls));
        Assert.DoesNotContain("Maya", Encoding.UTF8.GetString(_server.Bodies.Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_calls_run_concurrently_up_to_the_cap()
    {
        _server.Behaviour = _ => FakeReply.Slow(TimeSpan.FromMilliseconds(200));
        using var writer = Writer(o => o with { MaxConcurrency = 3 });
        var assessments = Enumerable.Range(0, 12).Select(i => SampleAssessments.Create("st" + i, $"Sentence number {i}.")).ToList();
        var written = await writer.AddFeedbackAsync(assessments);

        Assert.All(written, a => Assert.Equal("llm", a.Feedback.Source));
        Assert.Equal(assessments.Select(a => a.StudentId), written.Select(a => a.StudentId));
        Assert.InRange(_server.PeakConcurrency, 2, 3);
    }

    [Fact]
    public async Task Without_a_key_or_when_off_nothing_is_called_and_the_reason_says_why()
    {
        using var noKey = Writer(o => o with { ApiKey = null });
        using var off = Writer(o => o with { Mode = ReasoningMode.Off });
        Assert.Equal(FeedbackReasons.NotConfigured, (await noKey.WriteAsync(SampleAssessments.Create("st1", "Hi."))).Reason);
        Assert.Equal(FeedbackReasons.Disabled, (await off.WriteAsync(SampleAssessments.Create("st1", "Hi."))).Reason);
        Assert.Equal(FeedbackReasons.NoEvidence, (await Writer().WriteAsync(SampleAssessments.Create("st1", "Hi.", coverage: 0) with { Skills = [] })).Reason);
        Assert.Equal((0, "disabled"), (_server.Calls, off.Status));

        var required = () => new LlmFeedbackWriter(Options() with { Mode = ReasoningMode.Required, ApiKey = null }, null);
        Assert.Contains("Reasoning:ApiKey", Assert.Throws<ReasoningConfigurationException>(required).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_are_read_from_configuration_and_a_key_file_and_never_printed()
    {
        string keyFile = Path.Combine(_directory, "llm.key");
        File.WriteAllText(keyFile, Key + "\n");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reasoning:Mode"] = "required", ["Reasoning:Endpoint"] = _server.Endpoint.ToString(), ["Reasoning:Model"] = "m",
            ["Reasoning:ApiKeyFile"] = keyFile, ["Reasoning:TimeoutSeconds"] = "2.5", ["Reasoning:CallsPerMinute"] = "7", ["Reasoning:ResponseFormat"] = "json_object",
        }).Build();
        var options = ReasoningSettings.Read(configuration);

        Assert.Equal((ReasoningMode.Required, Key, TimeSpan.FromSeconds(2.5), 7, false), (options.Mode, options.ApiKey, options.Timeout, options.CallsPerMinute, options.StrictSchema));
        Assert.DoesNotContain(Key, options.ToString(), StringComparison.Ordinal);

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Reasoning:Mode"] = "sometimes" }).Build();
        Assert.Contains("off, auto or required", Assert.Throws<ReasoningConfigurationException>(() => ReasoningSettings.Read(bad)).Message, StringComparison.Ordinal);
    }

    /// <summary>A cache whose database is gone: reads and writes throw; the roster's names too, if asked.</summary>
    private sealed class FailingCache(bool failNames) : IFeedbackCache
    {
        public Task<string?> GetFeedbackAsync(string key, DateTime now, CancellationToken cancellation = default) => throw new TimeoutException("database busy");

        public Task PutFeedbackAsync(string key, string feedbackJson, DateTime expiresAt, string studentId, CancellationToken cancellation = default) =>
            throw new TimeoutException("database busy");

        public Task<IReadOnlyList<string>> RosterNamesAsync(CancellationToken cancellation = default) =>
            failNames ? throw new TimeoutException("database busy") : Task.FromResult<IReadOnlyList<string>>(["Maya", "Okafor"]);
    }

    private ReasoningOptions Options() => new()
    {
        Endpoint = _server.Endpoint, Model = "gpt-4o-mini", ApiKey = Key, Timeout = TimeSpan.FromSeconds(10), RetryDelay = TimeSpan.FromMilliseconds(20),
    };

    private LlmFeedbackWriter Writer(Func<ReasoningOptions, ReasoningOptions>? change = null) =>
        new((change ?? (o => o))(Options()), _store.Assessments.FeedbackCache);
}
