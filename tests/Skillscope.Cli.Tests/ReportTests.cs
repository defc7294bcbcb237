using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using PdfSharp.Pdf.IO;
using Skillscope.Assessment.Feedback;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>Printable reports over real HTTP: PDFs that open and say what the assessment says, the family's without numbers or anyone else, scope and bad input.</summary>
public sealed class ReportTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public async Task Fifty_pdf_reports_open_and_name_the_student_and_each_skills_band()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = served.Client(district.AdminKey);
        using var page = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students?page_size=50"));
        var students = page.RootElement.GetProperty("students").EnumerateArray().ToList();
        Assert.Equal(50, students.Count);
        for (int i = 0; i < students.Count; i++)
        {
            string id = students[i].GetProperty("id").GetString()!;
            string audience = i % 2 == 0 ? "teacher" : "family";
            using var latest = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/students/{id}"));
            using var answer = await admin.GetAsync($"/api/v1/students/{id}/report?format=pdf&audience={audience}");
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("application/pdf", answer.Content.Headers.ContentType?.MediaType);
            byte[] pdf = await answer.Content.ReadAsByteArrayAsync();
            using (var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import))
            {
                Assert.True(document.PageCount >= 1);
            }

            string text = Flat(PdfText(pdf));
            Assert.Contains($"{students[i].GetProperty("first_name").GetString()} {students[i].GetProperty("last_name").GetString()}", text, StringComparison.Ordinal);
            foreach (var skill in latest.RootElement.GetProperty("latest_assessment").GetProperty("skills").EnumerateArray())
            {
                string title = SkillText.Title(skill.GetProperty("skill").GetString()!), band = SkillText.BandLabel(SkillBands.Default.Of(skill.GetProperty("fused").GetDouble()));
                Assert.Contains($"{title} {band}", text, StringComparison.Ordinal);
                if (audience == "teacher")
                {
                    Assert.Contains($"Level {skill.GetProperty("fused").GetDouble().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} of 1", text, StringComparison.Ordinal);
                }
            }

            // A band's reason is something observed and unlike most students, never a missing or typical value.
            Assert.DoesNotMatch(@"(shows clearly|is developing|to grow next) \([^)]*(no evidence yet|about the same as most students)\)", text);
            if (audience == "teacher")
            {
                Assert.Matches("speaks for this skill|suggests room to grow", text);
            }

            if (audience == "family")
            {
                // No quoted sentence: one said in class may name a classmate.
                Assert.DoesNotContain("\u201c", text, StringComparison.Ordinal);
                // Plain language, bands only: no level, no average, no id, no other student of the class.
                Assert.DoesNotContain("Level ", text, StringComparison.Ordinal);
                Assert.DoesNotContain("average", text, StringComparison.OrdinalIgnoreCase);
                // The id only beside the name at the foot of each page, for the teacher handing the pages out.
                Assert.DoesNotContain(id, text.Replace($"({id}) · page", "", StringComparison.Ordinal), StringComparison.Ordinal);
                Assert.DoesNotMatch(@"\d\.\d\d", text);
                var classmate = students.First(s => s.GetProperty("id").GetString() != id && s.GetProperty("class_id").GetString() == students[i].GetProperty("class_id").GetString()
                    && s.GetProperty("last_name").GetString() != students[i].GetProperty("last_name").GetString());
                Assert.DoesNotContain(classmate.GetProperty("last_name").GetString()!, text, StringComparison.Ordinal);
            }
        }

        Assert.Contains(await served.Store.ListAuditAsync(500), a => a.Action == "student.report" && a.After == "family.pdf");
    }

    [Fact]
    public async Task A_class_bundle_holds_one_report_per_student_and_the_html_report_stands_alone()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = served.Client(district.AdminKey);
        using var someone = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students/st0000001"));
        string classId = someone.RootElement.GetProperty("student").GetProperty("class_id").GetString()!;
        using var classmates = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/students?class_id={classId}&page_size=100"));
        var names = classmates.RootElement.GetProperty("students").EnumerateArray()
            .Select(s => $"{s.GetProperty("first_name").GetString()} {s.GetProperty("last_name").GetString()}").ToList();

        using var bundle = await admin.GetAsync($"/api/v1/classes/{classId}/reports?audience=family");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        byte[] pdf = await bundle.Content.ReadAsByteArrayAsync();
        using (var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import))
        {
            Assert.True(document.PageCount >= names.Count);
        }

        string text = Flat(PdfText(pdf));
        Assert.All(names, name => Assert.Contains($"{name}: a report for the family", text, StringComparison.Ordinal));

        using var html = await admin.GetAsync("/api/v1/students/st0000001/report?format=html");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("script-src", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        string page = await html.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", page, StringComparison.Ordinal);
        Assert.Contains("@media print", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_student_without_an_assessment_is_told_so_and_bad_or_foreign_requests_are_refused()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = served.Client(district.AdminKey);
        using var someone = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students/st0000001"));
        var student = someone.RootElement.GetProperty("student");
        string classId = student.GetProperty("class_id").GetString()!;
        using (var imported = await admin.PostAsync("/api/v1/import/students", new StringContent($"id,class_id,first_name,last_name,grade\nreport-new,{classId},Noor,Haddad,{student.GetProperty("grade").GetInt32()}\n", Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        }

        using var fresh = await admin.GetAsync("/api/v1/students/report-new/report?format=pdf&audience=family");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        string text = Flat(PdfText(await fresh.Content.ReadAsByteArrayAsync()));
        Assert.Contains("Noor has not been assessed yet, so there is nothing to report.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Skill by skill", text, StringComparison.Ordinal);

        // A class without students prints one page that says so.
        using (var imported = await admin.PostAsync("/api/v1/import/classes", new StringContent(
            $"id,school_id,name,grade,teacher_id\nreport-empty,{student.GetProperty("school_id").GetString()},Grade 4 – Z,4,{student.GetProperty("teacher_id").GetString()}\n", Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        }

        using var empty = await admin.GetAsync("/api/v1/classes/report-empty/reports");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal("no-store", empty.Headers.CacheControl?.ToString());
        Assert.Contains("There are no students in this class yet", Flat(PdfText(await empty.Content.ReadAsByteArrayAsync())), StringComparison.Ordinal);

        await ProblemAsync(admin, "/api/v1/students/st0000001/report?format=docx", HttpStatusCode.BadRequest, "invalid_format");
        await ProblemAsync(admin, "/api/v1/students/st0000001/report?for=family", HttpStatusCode.BadRequest, "invalid_parameter");
        await ProblemAsync(admin, $"/api/v1/classes/{classId}/reports?format=html", HttpStatusCode.BadRequest, "invalid_format");
        await ProblemAsync(admin, "/api/v1/students/st0000001/report?audience=principal", HttpStatusCode.BadRequest, "invalid_audience");
        await ProblemAsync(admin, "/api/v1/students/nobody/report", HttpStatusCode.NotFound, "student_not_found");
        await ProblemAsync(admin, "/api/v1/classes/nowhere/reports", HttpStatusCode.NotFound, "class_not_found");

        using var listed = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students?page_size=100"));
        string otherTeacher = listed.RootElement.GetProperty("students").EnumerateArray().Select(s => s.GetProperty("teacher_id").GetString()!)
            .First(t => t != student.GetProperty("teacher_id").GetString());
        var key = CliRun.Of("keys", "create", "--role", "teacher", "--name", "reports teacher", "--teacher-id", otherTeacher, "--data-dir", district.DataDirectory);
        Assert.True(key.ExitCode == 0, key.Error);
        using var teacher = served.Client(key.Output.TrimEnd().Split('\n')[^1].Trim());
        await ProblemAsync(teacher, "/api/v1/students/st0000001/report", HttpStatusCode.NotFound, "student_not_found");
        await ProblemAsync(teacher, $"/api/v1/classes/{classId}/reports", HttpStatusCode.NotFound, "class_not_found");
    }

    [Fact]
    public async Task A_class_bigger_than_a_bundle_holds_is_refused_before_any_report_is_drawn()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory, [], new Dictionary<string, string?> { ["Reports:MaxBundle"] = "5" }, null);
        using var admin = served.Client(district.AdminKey);
        using var someone = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students/st0000001"));
        await ProblemAsync(admin, $"/api/v1/classes/{someone.RootElement.GetProperty("student").GetProperty("class_id").GetString()}/reports",
            HttpStatusCode.UnprocessableEntity, "class_too_large");
    }

    /// <summary>A report's words stay within a page whatever the feedback holds: long texts are cut at a word with an ellipsis.</summary>
    [Fact]
    public void A_skill_section_with_an_overlong_text_still_fits_one_page()
    {
        var student = new Skillscope.Assessment.Assessing.StudentRecord("s-1", "Ada", "Okafor", 4, "c-1", "4A", "s", "d", "t");
        string endless = string.Concat(Enumerable.Repeat("practises again and again ", 400)) + new string('x', 3_000);
        var skill = new Skillscope.Assessment.Assessing.SkillAssessment("empathy", 0.7, 0.8, 0.9, "m", "1", "", 0.7,
            new Skillscope.Assessment.Assessing.FusionComponents(0.7, null, null, 0.7, 0.9, 0, 0, 0.1),
            [new("linguistic", "a", "Acknowledging others' feelings: more often than most students", 0.1, 1f, "raises", endless)], []);
        var feedback = new AssessmentFeedback("llm", "ok", "p", "Summary.", [], [], [new SkillFeedback("empathy", "strength", endless, endless)]);
        var assessment = new Skillscope.Assessment.Assessing.StudentAssessment("s-1", DateTime.UtcNow, "1", 0.9, [skill], [], feedback, "1", 1, null);
        var report = Skillscope.Assessment.Reports.StudentReports.Build(student, assessment, Skillscope.Assessment.Reports.ReportAudience.Teacher, []);

        Assert.True(report.Skills[0].Text.Length <= 901 && report.Skills[0].Text.EndsWith('\u2026'));
        Assert.True(report.Skills[0].Evidence[0].Quote!.Length <= 241);
        var fonts = Skillscope.Server.Reports.ReportFonts.Install(null);
        string text = Flat(PdfText(Skillscope.Server.Reports.StudentReportPdf.Render([report], "t", fonts)));
        Assert.Contains("page 1 of 1", text, StringComparison.Ordinal);
        Assert.Contains("\u2026", text, StringComparison.Ordinal);
    }

    private static async Task ProblemAsync(HttpClient client, string path, HttpStatusCode status, string code)
    {
        using var answer = await client.GetAsync(path);
        Assert.Equal(status, answer.StatusCode);
        Assert.Contains($"\"code\":\"{code}\"", (await answer.Content.ReadAsStringAsync()).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    /// <summary>The PDF's text as poppler's pdftotext reads it (what a reader copying from the file would get).</summary>
    internal static string PdfText(byte[] pdf)
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, pdf);
            using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", file, "-"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            string text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Text with its line breaks and runs of spaces made single spaces: a wrapped line is still one phrase.</summary>
    private static string Flat(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
}
