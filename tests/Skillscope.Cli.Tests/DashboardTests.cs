using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// The dashboard over the demo's district, as a browser would use it over HTTP: sign-in, search and
/// profiles bounded to the teacher's classes, nothing leaked about other students, every view audited.
/// </summary>
public sealed partial class DashboardTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public async Task The_demo_prints_logins_that_work_and_pages_need_one()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var anonymous = new DashboardSession(served.Address);
        var (status, _, location) = await anonymous.GetAsync("/students");
        Assert.Equal((HttpStatusCode.Redirect, true), (status, location!.Contains("/login?ReturnUrl=%2Fstudents", StringComparison.Ordinal)));

        Assert.Contains("/login?failed=1", await anonymous.SignInAsync("teacher", "wrong password"), StringComparison.Ordinal);
        Assert.Contains("/login?failed=1", await anonymous.SignInAsync("nobody", district.Password("teacher")), StringComparison.Ordinal);
        Assert.Equal("/students", await anonymous.SignInAsync("teacher", district.Password("teacher")));

        using var admin = new DashboardSession(served.Address);
        Assert.Equal("/students", await admin.SignInAsync("admin", district.Password("admin")));
        var (_, everyone, _) = await admin.GetAsync("/students");
        Assert.Contains($"{DemoDistrict.Students} students", everyone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_guessing_is_rate_limited()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var session = new DashboardSession(served.Address);
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 14; i++)
        {
            string form = (await session.GetAsync("/login")).Body;
            using var response = await session.PostFormAsync("/login", new() { ["username"] = "teacher", ["password"] = "guess" + i, ["__RequestVerificationToken"] = DashboardSession.Token(form) });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var session = new DashboardSession(served.Address);
        using var response = await session.PostFormAsync("/login", new() { ["username"] = "teacher", ["password"] = district.Password("teacher") });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_teacher_sees_their_own_students_and_nothing_of_another_class()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var teacher = new DashboardSession(served.Address);
        await teacher.SignInAsync("teacher", district.Password("teacher"));
        var (_, page, _) = await teacher.GetAsync("/students");
        var mine = DashboardSession.StudentLinks(page);
        Assert.NotEmpty(mine);

        // Everyone, by the admin API key: the students of other teachers.
        using var api = served.Client(district.AdminKey);
        using var all = JsonDocument.Parse(await api.GetStringAsync("/api/v1/students?page_size=100&page=1"));
        var students = all.RootElement.GetProperty("students").EnumerateArray().ToList();
        string myTeacher = students.First(s => s.GetProperty("id").GetString() == mine[0]).GetProperty("teacher_id").GetString()!;
        var other = students.First(s => s.GetProperty("teacher_id").GetString() != myTeacher);
        string otherId = other.GetProperty("id").GetString()!, otherLast = other.GetProperty("last_name").GetString()!, otherFirst = other.GetProperty("first_name").GetString()!;

        var (status, body, _) = await teacher.GetAsync($"/students/{otherId}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain(otherLast, body, StringComparison.Ordinal);
        var (missingStatus, missingBody, _) = await teacher.GetAsync("/students/st9999999");
        // The same page either way (the layout's sign-out forms carry a fresh antiforgery token each time).
        Assert.Equal((HttpStatusCode.NotFound, WithoutTokens(missingBody)), (missingStatus, WithoutTokens(body)));

        var (_, byId, _) = await teacher.GetAsync($"/students?q={otherId}");
        Assert.Empty(DashboardSession.StudentLinks(byId));
        var (_, byName, _) = await teacher.GetAsync($"/students?q={Uri.EscapeDataString(otherFirst + " " + otherLast)}");
        Assert.DoesNotContain(otherId, DashboardSession.StudentLinks(byName));

        var (ownStatus, own, _) = await teacher.GetAsync($"/students/{mine[0]}");
        Assert.Equal(HttpStatusCode.OK, ownStatus);
        Assert.Equal(7, Gauge().Count(own));
        Assert.Contains("<blockquote>", own, StringComparison.Ordinal);
        Assert.Contains("Written from the evidence by Skillscope", own, StringComparison.Ordinal);
        Assert.Matches("class=\"band (strength|developing|growth_area)\">(Strength|Developing|Growth area)", own);

        // Every view of a student's profile is in the audit log, with who looked.
        using var connection = new SqliteConnection($"Data Source={Path.Combine(district.DataDirectory, "skillscope.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_log WHERE actor = 'user:teacher' AND action = 'student.viewed' AND subject = $id";
        command.Parameters.AddWithValue("$id", mine[0]);
        Assert.True(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task Search_finds_by_name_and_grade()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = new DashboardSession(served.Address);
        await admin.SignInAsync("admin", district.Password("admin"));
        using var api = served.Client(district.AdminKey);
        using var one = JsonDocument.Parse(await api.GetStringAsync("/api/v1/students?page_size=1"));
        var student = one.RootElement.GetProperty("students")[0];
        string id = student.GetProperty("id").GetString()!;
        int grade = student.GetProperty("grade").GetInt32();

        var (_, byName, _) = await admin.GetAsync($"/students?q={Uri.EscapeDataString(student.GetProperty("last_name").GetString()!.ToUpperInvariant())}");
        Assert.Contains(id, DashboardSession.StudentLinks(byName));
        var (_, byGrade, _) = await admin.GetAsync($"/students?grade={grade}");
        Assert.Contains(id, DashboardSession.StudentLinks(byGrade));
        var (_, otherGrade, _) = await admin.GetAsync($"/students?grade={(grade + 1) % 14}&q={id}");
        Assert.Empty(DashboardSession.StudentLinks(otherGrade));
    }

    [Fact]
    public async Task A_teacher_views_and_exports_their_classes_only()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var teacher = new DashboardSession(served.Address);
        await teacher.SignInAsync("teacher", district.Password("teacher"));
        var (_, classes, _) = await teacher.GetAsync("/classes");
        var mine = ClassLink().Matches(classes).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(mine);

        var (status, view, _) = await teacher.GetAsync($"/classes/{mine[0]}");
        Assert.Equal(HttpStatusCode.OK, status);
        var students = DashboardSession.StudentLinks(view).Distinct().ToList();   // a student to check on is linked twice
        Assert.NotEmpty(students);
        var (csvStatus, csv, _) = await teacher.GetAsync($"/classes/{mine[0]}/export.csv");
        Assert.Equal(HttpStatusCode.OK, csvStatus);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("student_id,first_name,last_name,empathy,problem_solving,self_regulation,resilience,collaboration,communication,growth_mindset", lines[0]);
        Assert.Equal(students.Count, lines.Length - 1);
        Assert.All(lines.Skip(1), line => Assert.Contains(line.Split(',')[0], students));

        using var admin = new DashboardSession(served.Address);
        await admin.SignInAsync("admin", district.Password("admin"));
        var (_, allClasses, _) = await admin.GetAsync("/classes");
        string other = ClassLink().Matches(allClasses).Select(m => m.Groups[1].Value).First(c => !mine.Contains(c));
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync($"/classes/{other}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync($"/classes/{other}/export.csv")).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/classes/{other}/export.csv")).Status);
    }

    [Fact]
    public async Task Accuracy_feedback_is_stored_for_admins_to_read_and_export()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var teacher = new DashboardSession(served.Address);
        await teacher.SignInAsync("teacher", district.Password("teacher"));
        var (_, page, _) = await teacher.GetAsync("/students");
        string student = DashboardSession.StudentLinks(page)[0];
        var (_, profile, _) = await teacher.GetAsync($"/students/{student}");
        string assessment = AssessmentId().Match(profile).Groups[1].Value;
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = DashboardSession.Token(profile), ["assessment_id"] = assessment, ["verdict"] = "partially",
            ["skills_off"] = "empathy", ["comment"] = "Quieter in class than this suggests, =1+1",
        };
        using (var sent = await teacher.PostFormAsync($"/students/{student}/accuracy", form))
        {
            Assert.Equal($"/students/{student}?accuracy=thanks#accuracy", sent.Headers.Location?.ToString());
        }

        using (var bad = await teacher.PostFormAsync($"/students/{student}/accuracy", new(form) { ["verdict"] = "maybe" }))
        {
            Assert.Contains("accuracy=invalid", bad.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/admin/accuracy")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/admin/accuracy.csv")).Status);
        using var admin = new DashboardSession(served.Address);
        await admin.SignInAsync("admin", district.Password("admin"));
        var (_, list, _) = await admin.GetAsync("/admin/accuracy");
        Assert.Contains("Quieter in class than this suggests", list, StringComparison.Ordinal);
        var (_, audit, _) = await admin.GetAsync($"/admin/audit?action=accuracy.recorded&q={student}");
        Assert.Contains("user:teacher", audit, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/admin/audit")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/admin/jobs")).Status);
        var (_, jobs, _) = await admin.GetAsync("/admin/jobs");
        Assert.Contains("succeeded", jobs, StringComparison.Ordinal);
        using (var queued = await admin.PostFormAsync("/admin/jobs", new() { ["kind"] = "incremental", ["__RequestVerificationToken"] = DashboardSession.Token(jobs) }))
        {
            Assert.Contains("/admin/jobs?queued=job-", queued.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        var (_, csv, _) = await admin.GetAsync("/admin/accuracy.csv");
        Assert.Contains($",teacher,{student},{assessment},partially,empathy,\"Quieter in class than this suggests, =1+1\"", csv, StringComparison.Ordinal);
    }

    [GeneratedRegex("href=\"/classes/([^\"/]+)\"")]
    private static partial Regex ClassLink();

    private static string WithoutTokens(string page) => Token().Replace(page, "");

    [GeneratedRegex("<input[^>]*__RequestVerificationToken[^>]*>")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"assessment_id\" value=\"(\\d+)\"")]
    private static partial Regex AssessmentId();

    [GeneratedRegex("<figure class=\"gauge")]
    private static partial Regex Gauge();
}
