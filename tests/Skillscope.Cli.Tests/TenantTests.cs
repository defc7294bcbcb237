using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// Two districts in one installation: keys and dashboard accounts bound to a district (a tenant) or to a
/// teacher reach only those students — by id, by search, by batch, by erasure — and nothing that every
/// tenant shares; unbound ones reach everything.
/// </summary>
public sealed partial class TenantTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    private const string OtherDistrictStudents =
        "id,class_id,first_name,last_name,grade\nhst1,hc1,Zebedee,Quillfeather,4\nhst2,hc1,Marisol,Vantongeren,4\n";

    [Fact]
    public async Task Keys_and_accounts_bound_to_a_district_or_a_teacher_reach_only_their_students()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = served.Client(district.AdminKey);
        await ImportAsync(admin, "districts", "id,name\nd2,Hillcrest (synthetic)\n");
        await ImportAsync(admin, "schools", "id,district_id,name\nhs1,d2,Hillcrest School\n");
        await ImportAsync(admin, "teachers", "id,school_id,name,email\nht1,hs1,Orla Quince,orla@hillcrest.example\n");
        await ImportAsync(admin, "classes", "id,school_id,name,grade,teacher_id\nhc1,hs1,Grade 4 – H,4,ht1\n");
        await ImportAsync(admin, "students", OtherDistrictStudents);

        // A key bound to the new district, a teacher's key of the demo district, and bindings the roster does not have.
        using var hillcrest = served.Client(CreateKey("--role", "service", "--name", "hillcrest-sis", "--district-id", "d2"));
        using var demoTeacherDoc = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students/st0000001"));
        string teacherId = demoTeacherDoc.RootElement.GetProperty("student").GetProperty("teacher_id").GetString()!;
        using var teacher = served.Client(CreateKey("--role", "teacher", "--name", "a teacher", "--teacher-id", teacherId));
        Assert.NotEqual(0, CliRun.Of("keys", "create", "--role", "teacher", "--name", "nobody's", "--data-dir", district.DataDirectory).ExitCode);
        Assert.NotEqual(0, CliRun.Of("keys", "create", "--role", "service", "--name", "x", "--district-id", "d9", "--data-dir", district.DataDirectory).ExitCode);
        Assert.NotEqual(0, CliRun.Of("keys", "create", "--role", "teacher", "--name", "x", "--teacher-id", "t-none", "--data-dir", district.DataDirectory).ExitCode);

        // Search: each sees its own students only; the unbound admin key sees both districts.
        Assert.Equal(["hst1", "hst2"], await SearchAsync(hillcrest, ""));
        Assert.Empty(await SearchAsync(hillcrest, "st0000001"));
        var teachers = await SearchAsync(teacher, "");
        Assert.NotEmpty(teachers);
        Assert.DoesNotContain("hst1", teachers);
        Assert.Empty(await SearchAsync(teacher, "Quillfeather"));
        Assert.Equal(DemoDistrict.Students + 2, await TotalAsync(admin));

        // By id, history, assessing, batch: outside the scope is "not found", with nothing about the student.
        string outsider = (await SearchAsync(admin, "")).First(id => !teachers.Contains(id) && !id.StartsWith('h'));
        foreach (var (client, id) in new[] { (hillcrest, "st0000001"), (teacher, "hst1"), (teacher, outsider) })
        {
            foreach (var request in new[] { Get($"/api/v1/students/{id}"), Get($"/api/v1/students/{id}/assessments"), Post($"/api/v1/students/{id}/assess", "{}") })
            {
                using var response = await client.SendAsync(request);
                string body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{request.RequestUri}: {response.StatusCode} {body}");
                Assert.Contains("student_not_found", body, StringComparison.Ordinal);
                Assert.DoesNotContain("Quillfeather", body, StringComparison.Ordinal);
            }
        }

        using (var own = await hillcrest.GetAsync("/api/v1/students/hst1"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        // Reads through the API are audited like the dashboard's: who, what, which students — never names.
        using (var audit = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/audit?limit=1000")))
        {
            var entries = audit.RootElement.GetProperty("entries").EnumerateArray()
                .Select(e => (Actor: e.GetProperty("actor").GetString()!, Action: e.GetProperty("action").GetString()!, Subject: e.GetProperty("subject").GetString()!,
                    After: e.TryGetProperty("after", out var after) ? after.GetString() : null)).ToList();
            Assert.Contains(entries, e => e.Actor.Contains("hillcrest-sis", StringComparison.Ordinal) && e.Action == "student.viewed" && e.Subject == "hst1");
            Assert.Contains(entries, e => e.Actor.Contains("hillcrest-sis", StringComparison.Ordinal) && e.Action == "students.searched" && e.After == "hst1,hst2");
            Assert.DoesNotContain(entries, e => e.Action == "student.viewed" && e.Subject == "st0000001" && e.Actor.Contains("hillcrest", StringComparison.Ordinal));
            Assert.DoesNotContain(entries, e => (e.After ?? "").Contains("Quillfeather", StringComparison.Ordinal));
        }

        using (var batch = await teacher.SendAsync(Post("/api/v1/assessments/batch", JsonSerializer.Serialize(new { student_ids = new[] { teachers[0], "hst1", outsider } }))))
        {
            using var body = JsonDocument.Parse(await batch.Content.ReadAsStringAsync());
            Assert.Equal(1, body.RootElement.GetProperty("assessed").GetInt32());
            var notFound = body.RootElement.GetProperty("errors").EnumerateArray().Where(e => e.GetProperty("code").GetString() == "student_not_found")
                .Select(e => e.GetProperty("student_id").GetString()!);
            Assert.Equal(new[] { "hst1", outsider }.Order(StringComparer.Ordinal), notFound.Order(StringComparer.Ordinal));
        }

        // What every tenant shares is the unbound admins' and services': imports, jobs, models, weights.
        foreach (var client in new[] { hillcrest, teacher })
        {
            using var import = await client.PostAsync("/api/v1/import/students", new StringContent(OtherDistrictStudents, Encoding.UTF8, "text/csv"));
            Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
            using var jobs = await client.GetAsync("/api/v1/assessments/jobs");
            Assert.Equal(HttpStatusCode.Forbidden, jobs.StatusCode);
        }

        using (var infer = await teacher.SendAsync(Post("/api/v1/skills/infer", "{}")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, infer.StatusCode);
        }

        // A district's admin erases that district's students, and no other's.
        using var hillcrestAdmin = served.Client(CreateKey("--role", "admin", "--name", "hillcrest-admin", "--district-id", "d2"));
        using (var models = await hillcrestAdmin.GetAsync("/api/v1/models"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, models.StatusCode);
        }

        using (var refused = await hillcrestAdmin.DeleteAsync("/api/v1/students/st0000002"))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using (var still = await admin.GetAsync("/api/v1/students/st0000002"))
        {
            Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        }

        using (var erased = await hillcrestAdmin.DeleteAsync("/api/v1/students/hst2"))
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        // The dashboard: a district's admin sees that district, and none of the system's pages.
        Assert.NotEqual(0, CliRun.Of("users", "create", "--role", "teacher", "--username", "x", "--teacher-id", "ht1", "--district-id", "d2", "--data-dir", district.DataDirectory).ExitCode);
        var account = CliRun.Of("users", "create", "--role", "admin", "--username", "hillcrest", "--district-id", "d2", "--data-dir", district.DataDirectory);
        Assert.True(account.ExitCode == 0, account.Error);
        using var session = new DashboardSession(served.Address);
        Assert.Equal("/students", await session.SignInAsync("hillcrest", account.Output.TrimEnd().Split('\n')[^1].Trim()));
        var (_, students, _) = await session.GetAsync("/students");
        Assert.Equal(["hst1"], DashboardSession.StudentLinks(students));
        Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync("/students/st0000001")).Status);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/students/hst1")).Status);
        var (_, classes, _) = await session.GetAsync("/classes");
        Assert.Equal(["hc1"], ClassLink().Matches(classes).Select(m => m.Groups[1].Value).Distinct());
        Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync("/classes/c1/export.csv")).Status);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/admin/accuracy")).Status);
        foreach (string page in new[] { "/admin/models", "/admin/fusion", "/admin/jobs", "/admin/monitoring", "/admin/keys", "/admin/audit" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync(page)).Status);
        }

        // Cohorts: an analyst of the district counts that district's students only; an unbound one every district's.
        using var districtAnalyst = served.Client(CreateKey("--role", "analyst", "--name", "hillcrest analyst", "--district-id", "d2"));
        using var anyAnalyst = served.Client(CreateKey("--role", "analyst", "--name", "analyst"));
        using var theirs = JsonDocument.Parse(await districtAnalyst.GetStringAsync("/api/v1/cohorts?by=school"));
        Assert.All(theirs.RootElement.GetProperty("groups").EnumerateArray(), g => Assert.Equal("hs1", g.GetProperty("key").GetString()));
        using var all = JsonDocument.Parse(await anyAnalyst.GetStringAsync("/api/v1/cohorts?by=school"));
        Assert.Contains(all.RootElement.GetProperty("groups").EnumerateArray(), g => g.GetProperty("students").GetInt64() == DemoDistrict.Students);
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/api/v1/cohorts")).StatusCode);
    }

    private string CreateKey(params string[] arguments)
    {
        var run = CliRun.Of(["keys", "create", .. arguments, "--data-dir", district.DataDirectory]);
        Assert.True(run.ExitCode == 0, run.Error);
        return run.Output.TrimEnd().Split('\n')[^1].Trim();
    }

    private static async Task ImportAsync(HttpClient client, string kind, string csv)
    {
        using var response = await client.PostAsync($"/api/v1/import/{kind}", new StringContent(csv, Encoding.UTF8, "text/csv"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"rejected\":0", body, StringComparison.Ordinal);
    }

    private static async Task<List<string>> SearchAsync(HttpClient client, string q)
    {
        using var page = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/students?page_size=100&q={Uri.EscapeDataString(q)}"));
        return [.. page.RootElement.GetProperty("students").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
    }

    private static async Task<long> TotalAsync(HttpClient client)
    {
        using var page = JsonDocument.Parse(await client.GetStringAsync("/api/v1/students?page_size=1"));
        return page.RootElement.GetProperty("total").GetInt64();
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, string json) => new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    [GeneratedRegex("href=\"/classes/([^\"/]+)\"")]
    private static partial Regex ClassLink();
}
