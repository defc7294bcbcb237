using System.Net;
using System.Text;
using System.Text.Json;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>The assessment API over a district the demo prepared: students, assessments, history, batch, imports, jobs.</summary>
public sealed class AssessmentApiTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public async Task The_demo_prepares_everything_and_prints_a_key()
    {
        Assert.Contains("assessed 300 students", district.Output, StringComparison.Ordinal);
        Assert.Contains("0 rejected", district.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(district.DataDirectory, "reports", "skills.html")));
        Assert.True(File.Exists(Path.Combine(district.DataDirectory, "fusion-weights.json")));
        Assert.StartsWith("sk_", district.AdminKey, StringComparison.Ordinal);

        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var client = served.Client(district.AdminKey);
        using var jobs = await Json(await client.GetAsync("/api/v1/assessments/jobs"));
        var job = jobs.RootElement.GetProperty("jobs").EnumerateArray().Last(j => j.GetProperty("kind").GetString() == "full");
        Assert.Equal(("succeeded", 300, 0), (job.GetProperty("status").GetString(), job.GetProperty("processed").GetInt32(), job.GetProperty("failed").GetInt32()));
    }

    [Fact]
    public async Task A_student_is_found_assessed_with_evidence_and_feedback_and_their_history_grows()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var client = served.Client(district.AdminKey);
        using var page = await Json(await client.GetAsync("/api/v1/students?page_size=5"));
        Assert.Equal(DemoDistrict.Students, page.RootElement.GetProperty("total").GetInt32());
        var first = page.RootElement.GetProperty("students")[0];
        string id = first.GetProperty("id").GetString()!, lastName = first.GetProperty("last_name").GetString()!, classId = first.GetProperty("class_id").GetString()!;

        using var byName = await Json(await client.GetAsync($"/api/v1/students?q={Uri.EscapeDataString(lastName.ToLowerInvariant())}&class_id={classId}"));
        Assert.Contains(byName.RootElement.GetProperty("students").EnumerateArray(), s => s.GetProperty("id").GetString() == id);
        Assert.All(byName.RootElement.GetProperty("students").EnumerateArray(), s => Assert.Equal(classId, s.GetProperty("class_id").GetString()));

        using var before = await Json(await client.GetAsync($"/api/v1/students/{id}/assessments"));
        int stored = before.RootElement.GetProperty("assessments").GetArrayLength();
        Assert.True(stored >= 1, "the demo's batch assessed every student");

        using var response = await client.PostAsync($"/api/v1/students/{id}/assess", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await Json(response);
        var assessment = body.RootElement.GetProperty("assessment");
        Assert.Equal("ok", assessment.GetProperty("status").GetString());
        var skills = assessment.GetProperty("skills").EnumerateArray().ToList();
        Assert.Equal(7, skills.Count);
        bool quoted = false;
        foreach (var skill in skills)
        {
            Assert.InRange(skill.GetProperty("score").GetDouble(), 0, 1);
            Assert.InRange(skill.GetProperty("fused").GetDouble(), 0, 1);
            Assert.InRange(skill.GetProperty("confidence").GetDouble(), 0, 1);
            Assert.Equal("1.0.0", skill.GetProperty("model_version").GetString());
            var weights = skill.GetProperty("components");
            Assert.Equal(1, weights.GetProperty("weight_ml").GetDouble() + weights.GetProperty("weight_linguistic").GetDouble()
                + weights.GetProperty("weight_behavioral").GetDouble() + weights.GetProperty("weight_confidence").GetDouble(), 3);
            var evidence = skill.GetProperty("evidence").EnumerateArray().ToList();
            Assert.InRange(evidence.Count, 1, 5);
            foreach (var item in evidence)
            {
                Assert.Contains(item.GetProperty("source").GetString(), new[] { "ml", "linguistic", "behavioral" });
                Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("description").GetString()));
                Assert.True(item.GetProperty("weight").GetDouble() >= 0);
                quoted |= item.TryGetProperty("quote", out var quote) && quote.GetString()!.Length > 3;
            }

            Assert.True(skill.GetProperty("evidence")[0].GetProperty("weight").GetDouble() >= skill.GetProperty("evidence")[evidence.Count - 1].GetProperty("weight").GetDouble());
        }

        Assert.True(quoted, "some evidence quotes the student's own words");
        var feedback = assessment.GetProperty("feedback");
        Assert.Equal(("template", "llm_not_configured"), (feedback.GetProperty("source").GetString(), feedback.GetProperty("reason").GetString()));
        Assert.Equal(7, feedback.GetProperty("skills").GetArrayLength());
        Assert.False(string.IsNullOrWhiteSpace(feedback.GetProperty("summary").GetString()));

        using var after = await Json(await client.GetAsync($"/api/v1/students/{id}/assessments?limit=50"));
        Assert.Equal(stored + 1, after.RootElement.GetProperty("assessments").GetArrayLength());
        Assert.Equal(assessment.GetProperty("id").GetInt64(), after.RootElement.GetProperty("assessments")[0].GetProperty("id").GetInt64());

        using var one = await Json(await client.PostAsync($"/api/v1/students/{id}/assess/empathy", null));
        Assert.Equal("empathy", Assert.Single(one.RootElement.GetProperty("assessment").GetProperty("skills").EnumerateArray()).GetProperty("skill").GetString());
        await AssertProblem(await client.PostAsync($"/api/v1/students/{id}/assess/kindness", null), 404, "skill_not_found");
        await AssertProblem(await client.PostAsync("/api/v1/students/nobody/assess", null), 404, "student_not_found");
        await AssertProblem(await client.GetAsync("/api/v1/students/nobody/assessments"), 404, "student_not_found");
        await AssertProblem(await client.GetAsync("/api/v1/students?page_size=1000"), 400, "invalid_page");
    }

    [Fact]
    public async Task A_student_without_evidence_gets_coverage_zero_and_no_invented_score()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var client = served.Client(district.AdminKey);
        using var page = await Json(await client.GetAsync("/api/v1/students?page_size=1"));
        string classId = page.RootElement.GetProperty("students")[0].GetProperty("class_id").GetString()!;
        using var imported = await client.PostAsync("/api/v1/import/students",
            new StringContent($$"""[{"id": "new-student-1", "class_id": "{{classId}}", "first_name": "Ada", "last_name": "Quiet", "grade": 5}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);

        using var body = await Json(await client.PostAsync("/api/v1/students/new-student-1/assess", null));
        var assessment = body.RootElement.GetProperty("assessment");
        Assert.Equal(0, assessment.GetProperty("coverage").GetDouble());
        Assert.Equal("no_evidence", assessment.GetProperty("status").GetString());
        Assert.Equal(0, assessment.GetProperty("skills").GetArrayLength());
        Assert.Contains("no evidence", assessment.GetProperty("feedback").GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_students_are_assessed_at_once_with_failures_reported_per_student()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var client = served.Client(district.AdminKey);
        using var page = await Json(await client.GetAsync("/api/v1/students?page_size=3"));
        var ids = page.RootElement.GetProperty("students").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();

        using var response = await client.PostAsync("/api/v1/assessments/batch",
            new StringContent(JsonSerializer.Serialize(new { student_ids = ids.Append("ghost") }), Encoding.UTF8, "application/json"));
        using var body = await Json(response);
        Assert.Equal(3, body.RootElement.GetProperty("assessed").GetInt32());
        Assert.Equal(ids, body.RootElement.GetProperty("assessments").EnumerateArray().Select(a => a.GetProperty("student_id").GetString()!));
        var error = Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(("ghost", "student_not_found"), (error.GetProperty("student_id").GetString(), error.GetProperty("code").GetString()));

        var tooMany = JsonSerializer.Serialize(Enumerable.Range(0, 101).Select(i => $"s{i}"));
        await AssertProblem(await client.PostAsync("/api/v1/assessments/batch", new StringContent(tooMany, Encoding.UTF8, "application/json")), 413, "too_many_students");
        await AssertProblem(await client.PostAsync("/api/v1/assessments/batch", new StringContent("{\"student_ids\": [1]}", Encoding.UTF8, "application/json")), 400, "invalid_request");
    }

    [Fact]
    public async Task Imports_report_bad_rows_by_line_and_an_incremental_job_assesses_only_students_with_new_evidence()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var client = served.Client(district.AdminKey);
        using var page = await Json(await client.GetAsync("/api/v1/students?page_size=1&q=st0000002"));
        string id = page.RootElement.GetProperty("students")[0].GetProperty("id").GetString()!;

        // Settle: nothing stale before the new evidence arrives.
        await RunJob(client, "incremental");
        string csv = "student_id,session_id,at,source,text\n" +
            $"{id},extra-1,2026-11-20T10:00:00Z,written,\"I understand how she feels, and maybe we could help together.\"\n" +
            "ghost,extra-1,2026-11-20T10:00:00Z,written,Hello\n" +
            $"{id},extra-1,not-a-time,written,Hello\n";
        using var imported = await Json(await client.PostAsync("/api/v1/import/utterances", new StringContent(csv, Encoding.UTF8, "text/csv")));
        Assert.Equal(1, imported.RootElement.GetProperty("written").GetInt32());
        Assert.Equal([3, 4], imported.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()));
        using var again = await Json(await client.PostAsync("/api/v1/import/utterances", new StringContent(csv, Encoding.UTF8, "text/csv")));
        Assert.Equal((0, 1), (again.RootElement.GetProperty("written").GetInt32(), again.RootElement.GetProperty("unchanged").GetInt32()));
        await AssertProblem(await client.PostAsync("/api/v1/import/utterances", new StringContent("student_id\nghost\n", Encoding.UTF8, "text/csv")), 422, "no_valid_rows");
        await AssertProblem(await client.PostAsync("/api/v1/import/grades", new StringContent("[]", Encoding.UTF8, "application/json")), 404, "import_kind_not_found");

        var job = await RunJob(client, "incremental");
        Assert.Equal((1, 1), (job.GetProperty("total").GetInt32(), job.GetProperty("processed").GetInt32()));

        string metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("skillscope_students_assessed", metrics, StringComparison.Ordinal);
        Assert.Contains("via=\"job\"", metrics, StringComparison.Ordinal);
        Assert.Contains("skillscope_batch_throughput", metrics, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> RunJob(HttpClient client, string kind)
    {
        using var created = await Json(await client.PostAsync("/api/v1/assessments/jobs", new StringContent($$"""{"kind": "{{kind}}"}""", Encoding.UTF8, "application/json")));
        string id = created.RootElement.GetProperty("job").GetProperty("id").GetString()!;
        for (int attempt = 0; attempt < 300; attempt++)
        {
            using var state = await Json(await client.GetAsync($"/api/v1/assessments/jobs/{id}"));
            var job = state.RootElement.GetProperty("job");
            if (job.GetProperty("status").GetString() is "succeeded" or "failed")
            {
                Assert.Equal("succeeded", job.GetProperty("status").GetString());
                return job.Clone();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"job {id} did not finish");
    }

    internal static async Task<JsonDocument> Json(HttpResponseMessage response)
    {
        using (response)
        {
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text);
        }
    }

    internal static async Task AssertProblem(HttpResponseMessage response, int status, string code)
    {
        using (response)
        {
            string text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(text);
            Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("request_id").GetString()));
        }
    }
}
