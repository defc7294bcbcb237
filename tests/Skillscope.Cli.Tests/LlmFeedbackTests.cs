using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Skillscope.Server.Tests.Reasoning;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// `skillscope serve` pointed at an OpenAI-compatible server by environment variables alone: assessments
/// carry LLM feedback, health and metrics report the LLM, and neither the key nor names nor transcript
/// text (API or dashboard) reach the logs.
/// </summary>
public sealed class LlmFeedbackTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    private const string Key = "sk-live-e2e-91c2f7a0b3";

    [Fact]
    public async Task Serve_writes_llm_feedback_by_configuration_alone_and_keeps_the_key_and_names_out_of_the_logs()
    {
        await using var fake = await FakeChatServer.StartAsync();
        int port = CliProcess.FreePort();
        var logs = new StringBuilder();
        var shown = new List<string>();
        using var process = CliProcess.Start(["serve", "--data-dir", district.DataDirectory, "--urls", $"http://127.0.0.1:{port}"], logs, new()
        {
            ["Batch__Schedule"] = "off",
            ["Reasoning__Endpoint"] = fake.Endpoint.ToString(),
            ["Reasoning__ApiKey"] = Key,
            ["Reasoning__Model"] = "fake-model",
        });
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", district.AdminKey);
            await CliProcess.WaitReadyAsync(client, process, logs);

            using var page = await Json(await client.GetAsync("/api/v1/students?page_size=3"));
            var students = page.RootElement.GetProperty("students").EnumerateArray().ToList();
            string id = students[0].GetProperty("id").GetString()!;
            using var one = await Json(await client.PostAsync($"/api/v1/students/{id}/assess", null));
            var feedback = one.RootElement.GetProperty("assessment").GetProperty("feedback");
            Assert.Equal(("llm", "ok", "fake-model", "feedback-llm-2"),
                (feedback.GetProperty("source").GetString(), feedback.GetProperty("reason").GetString(), feedback.GetProperty("model").GetString(), feedback.GetProperty("prompt_version").GetString()));
            Assert.True(feedback.GetProperty("tokens_in").GetInt32() > 0 && feedback.GetProperty("latency_ms").GetDouble() > 0);

            var ids = students.Select(s => s.GetProperty("id").GetString()!).ToArray();
            using var batch = await Json(await client.PostAsync("/api/v1/assessments/batch",
                new StringContent(JsonSerializer.Serialize(new { student_ids = ids }), Encoding.UTF8, "application/json")));
            var sources = batch.RootElement.GetProperty("assessments").EnumerateArray().Select(a => a.GetProperty("feedback").GetProperty("reason").GetString()).ToList();
            Assert.Equal(3, sources.Count);
            Assert.All(sources, reason => Assert.Contains(reason, new[] { "ok", "cache_hit" }));

            using var health = await Json(await client.GetAsync("/health/detailed"));
            var llm = health.RootElement.GetProperty("llm");
            Assert.Equal(("ok", "auto", "fake-model"), (llm.GetProperty("status").GetString(), llm.GetProperty("mode").GetString(), llm.GetProperty("model").GetString()));

            // A model whose tokenizer is not known: its prompts are estimated from above, and the health answer says so.
            Assert.Equal("estimated", llm.GetProperty("prompt_tokens").GetString());
            string metrics = await client.GetStringAsync("/metrics");
            Assert.Contains("skillscope_llm_calls_total{outcome=\"ok\"}", metrics, StringComparison.Ordinal);
            Assert.Contains("skillscope_llm_tokens_total{direction=\"in\"}", metrics, StringComparison.Ordinal);
            Assert.Contains("skillscope_llm_cache_total{result=\"miss\"}", metrics, StringComparison.Ordinal);
            Assert.Contains("\nskillscope_llm_cost_usd_total{} ", metrics, StringComparison.Ordinal);
            Assert.Contains("\nskillscope_llm_latency_seconds_bucket{le=\"0.1\"}", metrics, StringComparison.Ordinal);

            // What left the process: no student's or teacher's name, and the key only in the Authorization header.
            string sent = string.Join("\n", fake.UserMessages());
            foreach (var student in students)
            {
                Assert.DoesNotContain(student.GetProperty("last_name").GetString()!, sent, StringComparison.OrdinalIgnoreCase);
            }

            Assert.All(fake.Authorizations, header => Assert.Equal("Bearer " + Key, header));

            // The dashboard too: a teacher signs in and reads a profile (names and sentences on the page, not in the logs).
            using var session = new DashboardSession(client.BaseAddress!);
            Assert.Equal("/students", await session.SignInAsync("teacher", district.Password("teacher")));
            var (_, list, _) = await session.GetAsync("/students");
            var (_, profile, _) = await session.GetAsync($"/students/{DashboardSession.StudentLinks(list)[0]}");
            Assert.Contains("<blockquote>", profile, StringComparison.Ordinal);
            shown.AddRange(System.Text.RegularExpressions.Regex.Matches(profile, "<blockquote>\u201c([^<]+)\u201d").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)));
            shown.AddRange(students.SelectMany(s => new[] { s.GetProperty("first_name").GetString()! + " " + s.GetProperty("last_name").GetString()!, s.GetProperty("last_name").GetString()! }));
        }
        finally
        {
            CliProcess.Stop(process);
        }

        string log = logs.ToString();
        Assert.Contains("\"Category\"", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[..12], log, StringComparison.Ordinal);
        Assert.True(shown.Count > 3);
        Assert.All(shown, personal => Assert.DoesNotContain(personal, log, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_job_writes_llm_feedback_for_every_student_concurrently()
    {
        await using var fake = await FakeChatServer.StartAsync();
        fake.Behaviour = _ => FakeReply.Slow(TimeSpan.FromMilliseconds(20));
        var output = new StringBuilder();
        using var process = CliProcess.Start(["assess", "--all", "--data-dir", district.DataDirectory], output, new()
        {
            ["Reasoning__Endpoint"] = fake.Endpoint.ToString(), ["Reasoning__ApiKey"] = Key, ["Reasoning__Model"] = "fake-model",
            ["Reasoning__MaxConcurrency"] = "6", ["Reasoning__CallsPerMinute"] = "100000", ["Reasoning__CallsPerHour"] = "1000000", ["Reasoning__CacheTtlHours"] = "0",
        });
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "assess did not finish");
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output.ToString());
        string job = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"(job-\S+) succeeded: 300 students").Groups[1].Value;
        Assert.NotEmpty(job);

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(district.DataDirectory, "skillscope.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM assessments WHERE job_id = $job";
        command.Parameters.AddWithValue("$job", job);
        var reasons = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                using var payload = JsonDocument.Parse(reader.GetString(0));
                var feedback = payload.RootElement.GetProperty("feedback");
                reasons.Add(feedback.GetProperty("source").GetString() + "/" + feedback.GetProperty("reason").GetString());
            }
        }

        Assert.Equal(DemoDistrict.Students, reasons.Count);
        Assert.All(reasons, reason => Assert.Contains(reason, new[] { "llm/ok", "template/no_evidence" }));
        Assert.Equal(reasons.Count(r => r == "llm/ok"), fake.Calls);
        Assert.InRange(fake.PeakConcurrency, 2, 6);
    }

    [Fact]
    public void Required_mode_without_a_key_stops_the_start_with_a_clear_message()
    {
        var logs = new StringBuilder();
        using var process = CliProcess.Start(["serve", "--data-dir", district.DataDirectory, "--urls", $"http://127.0.0.1:{CliProcess.FreePort()}"], logs,
            new() { ["Reasoning__Mode"] = "required", ["Reasoning__ApiKey"] = "", ["Batch__Schedule"] = "off" });
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the server started without a key");
        process.WaitForExit();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Reasoning:Mode is \"required\" but no key is configured", logs.ToString(), StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> Json(HttpResponseMessage response)
    {
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body);
        }
    }
}
