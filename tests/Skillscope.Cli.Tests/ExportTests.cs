using System.Net;
using System.Text.Json;
using Skillscope.Assessment.Exports;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// The scores export a student information system imports: over real HTTP and from the command line, CSV
/// and JSON Lines, each row the student's latest score of a skill; a teacher's key exports its own students;
/// bad filters are refused with the reason.
/// </summary>
public sealed class ExportTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public async Task The_scores_export_round_trips_to_the_latest_assessments_and_keeps_to_the_readers_scope()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = served.Client(district.AdminKey);

        using var response = await admin.GetAsync("/api/v1/exports/scores");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/csv", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        string csv = await response.Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', ScoreExportFormat.Columns), lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        using var page = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students?page_size=1"));
        long students = page.RootElement.GetProperty("total").GetInt64();
        // Every assessed student once per skill (a student without evidence has no scores to export).
        Assert.All(rows.GroupBy(r => r[0]), student => Assert.Equal(7, student.Count()));
        Assert.InRange(rows.Select(r => r[0]).Distinct().Count(), students * 0.8, students);
        Assert.Equal(rows.Select(r => (r[0], r[4])).Order(), rows.Select(r => (r[0], r[4])));

        // Imported again, a row is the student's latest assessment: score, band and confidence.
        foreach (var row in rows.Where((_, i) => i % 997 == 0))
        {
            using var student = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/students/{row[0]}"));
            var skill = student.RootElement.GetProperty("latest_assessment").GetProperty("skills").EnumerateArray().Single(s => s.GetProperty("skill").GetString() == row[4]);
            Assert.Equal(skill.GetProperty("fused").GetDouble(), double.Parse(row[5], System.Globalization.CultureInfo.InvariantCulture), 4);
            Assert.Equal(skill.GetProperty("confidence").GetDouble(), double.Parse(row[7], System.Globalization.CultureInfo.InvariantCulture), 4);
            Assert.Contains(row[6], new[] { "strength", "developing", "growth_area" });
        }

        // JSON Lines, narrowed to one class.
        string classId = rows[0][1];
        string jsonl = await admin.GetStringAsync($"/api/v1/exports/scores?format=jsonl&class={classId}");
        var objects = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
        Assert.Equal(rows.Count(r => r[1] == classId), objects.Count);
        Assert.All(objects, o => Assert.Equal(classId, o.RootElement.GetProperty("class_id").GetString()));
        objects.ForEach(o => o.Dispose());

        // A teacher's key: their students only, and another's class is not there.
        using var studentDoc = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/students/{rows[0][0]}"));
        string teacherId = studentDoc.RootElement.GetProperty("student").GetProperty("teacher_id").GetString()!;
        var key = CliRun.Of("keys", "create", "--role", "teacher", "--name", "export teacher", "--teacher-id", teacherId, "--data-dir", district.DataDirectory);
        Assert.True(key.ExitCode == 0, key.Error);
        using var teacher = served.Client(key.Output.TrimEnd().Split('\n')[^1].Trim());
        var mine = (await teacher.GetStringAsync("/api/v1/exports/scores")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.NotEmpty(mine);
        Assert.True(mine.Count < rows.Count);
        using var theirs = JsonDocument.Parse(await teacher.GetStringAsync("/api/v1/students?page_size=100"));
        var theirClasses = theirs.RootElement.GetProperty("students").EnumerateArray().Select(s => s.GetProperty("class_id").GetString()!).ToHashSet();
        Assert.All(mine, row => Assert.Contains(row[1], theirClasses));
        string otherClass = rows.First(r => mine.All(m => m[1] != r[1]))[1];
        await AssertProblem(await teacher.GetAsync($"/api/v1/exports/scores?class={otherClass}"), 404, "class_not_found");

        await AssertProblem(await admin.GetAsync("/api/v1/exports/scores?since=last%20week"), 400, "invalid_filter");
        await AssertProblem(await admin.GetAsync("/api/v1/exports/scores?since=2026-09-01T08:00:00"), 400, "invalid_filter");
        await AssertProblem(await admin.GetAsync("/api/v1/exports/scores?format=xlsx"), 400, "invalid_filter");
        await AssertProblem(await admin.GetAsync("/api/v1/exports/scores?school=nowhere"), 404, "school_not_found");
        Assert.Equal(lines[0] + "\r\n", await admin.GetStringAsync("/api/v1/exports/scores?since=2999-01-01"));
        Assert.Contains(await served.Store.ListAuditAsync(20), a => a.Action == "scores.exported" && a.Subject == $"class={classId}");

        // The command line writes the same export.
        string file = Path.Combine(district.DataDirectory, "scores-export.jsonl");
        var cli = CliRun.Of("export", "scores", "--format", "jsonl", "--out", file, "--data-dir", district.DataDirectory);
        Assert.True(cli.ExitCode == 0, cli.Error);
        Assert.Equal(rows.Count, File.ReadAllLines(file).Length);
        Assert.NotEqual(0, CliRun.Of("export", "scores", "--since", "soon", "--data-dir", district.DataDirectory).ExitCode);
        Assert.NotEqual(0, CliRun.Of("export", "scores", "--class-id", "nowhere", "--data-dir", district.DataDirectory).ExitCode);
    }

    [Fact]
    public async Task An_access_request_exports_everything_stored_about_one_student_as_a_zip_of_json()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = served.Client(district.AdminKey);
        using var student = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students/st0000002"));
        string lastName = student.RootElement.GetProperty("student").GetProperty("last_name").GetString()!;

        using var response = await admin.GetAsync("/api/v1/students/st0000002/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using (var zip = new System.IO.Compression.ZipArchive(await response.Content.ReadAsStreamAsync()))
        {
            string Read(string name)
            {
                using var reader = new StreamReader(zip.GetEntry(name)!.Open());
                return reader.ReadToEnd();
            }

            Assert.Contains("README.txt", zip.Entries.Select(e => e.FullName));
            using var row = JsonDocument.Parse(Read("student.json"));
            Assert.Equal(("st0000002", lastName), (row.RootElement.GetProperty("id").GetString(), row.RootElement.GetProperty("last_name").GetString()));
            foreach (string table in new[] { "utterances", "behavior_events", "assessments", "skill_scores", "audit_log" })
            {
                using var rows = JsonDocument.Parse(Read($"{table}.json"));
                Assert.True(rows.RootElement.GetArrayLength() > 0, $"{table} holds the student's rows");
                Assert.All(rows.RootElement.EnumerateArray().Where(_ => table is not ("audit_log" or "behavior_events")),
                    r => Assert.Equal("st0000002", r.GetProperty("student_id").GetString()));
            }

            using var audit = JsonDocument.Parse(Read("audit_log.json"));
            Assert.Contains(audit.RootElement.EnumerateArray(), e => e.GetProperty("action").GetString() == "student.viewed" && e.GetProperty("subject").GetString() == "st0000002");
            Assert.DoesNotContain(audit.RootElement.EnumerateArray(), e => e.GetProperty("subject").GetString() == "st0000020");
        }

        Assert.Contains(await served.Store.ListAuditAsync(20), a => a.Action == "student.exported" && a.Subject == "st0000002");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/students/nobody/export")).StatusCode);

        string file = Path.Combine(district.DataDirectory, "student.zip");
        var cli = CliRun.Of("export", "student", "st0000002", "--out", file, "--data-dir", district.DataDirectory);
        Assert.True(cli.ExitCode == 0, cli.Error);
        using (var zip = System.IO.Compression.ZipFile.OpenRead(file))
        {
            Assert.Contains("assessments.json", zip.Entries.Select(e => e.FullName));
        }

        Assert.NotEqual(0, CliRun.Of("export", "student", "nobody", "--out", file + ".x", "--data-dir", district.DataDirectory).ExitCode);
        Assert.False(File.Exists(file + ".x"));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("plain", "plain")]
    public void Csv_cells_are_quoted_and_never_run_as_a_formula(string value, string cell) => Assert.Equal(cell, CsvText.Cell(value));

    private static async Task AssertProblem(HttpResponseMessage response, int status, string code)
    {
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, body);
            using var problem = JsonDocument.Parse(body);
            Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        }
    }
}
