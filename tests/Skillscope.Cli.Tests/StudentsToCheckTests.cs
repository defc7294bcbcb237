using System.Net;
using System.Text.Json;
using Skillscope.Assessment.Feedback;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>Students to check on over real HTTP: every listed reason agrees with the student's latest scores, and scope holds.</summary>
public sealed class StudentsToCheckTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public async Task Each_listed_student_has_reasons_their_scores_bear_out_and_another_teachers_class_is_not_found()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = served.Client(district.AdminKey);
        using var someone = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students/st0000001"));
        var student = someone.RootElement.GetProperty("student");
        string classId = student.GetProperty("class_id").GetString()!, schoolId = student.GetProperty("school_id").GetString()!;

        using var inClass = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/classes/{classId}/students-to-check"));
        var listed = inClass.RootElement.GetProperty("students").EnumerateArray().ToList();
        Assert.NotEmpty(listed);
        foreach (var entry in listed)
        {
            using var profile = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/students/{entry.GetProperty("student_id").GetString()}"));
            var latest = profile.RootElement.GetProperty("latest_assessment").GetProperty("skills").EnumerateArray()
                .ToDictionary(s => s.GetProperty("skill").GetString()!, s => (Fused: s.GetProperty("fused").GetDouble(), Confidence: s.GetProperty("confidence").GetDouble()));
            var reasons = entry.GetProperty("reasons").EnumerateArray().ToList();
            Assert.NotEmpty(reasons);
            foreach (var reason in reasons)
            {
                var skills = reason.GetProperty("skills").EnumerateArray().Select(s => s.GetString()!).Order().ToList();
                switch (reason.GetProperty("code").GetString())
                {
                    case "growth_areas":
                        Assert.True(skills.Count >= 2);
                        Assert.Equal(latest.Where(f => SkillBands.Default.Of(f.Value.Fused) == "growth_area").Select(f => f.Key).Order(), skills);
                        break;
                    case "needs_evidence":
                        Assert.True(skills.Count >= 2);
                        Assert.Equal(latest.Where(f => f.Value.Confidence < 0.35).Select(f => f.Key).Order(), skills);
                        break;
                    case "band_drop":
                        // The demo assesses each student once: a drop needs an assessment before.
                        using (var history = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/students/{entry.GetProperty("student_id").GetString()}/assessments")))
                        {
                            Assert.True(history.RootElement.GetProperty("assessments").GetArrayLength() >= 2);
                        }

                        break;
                    default:
                        Assert.Fail($"an unknown reason {reason.GetProperty("code").GetString()}");
                        break;
                }
            }
        }

        using var inSchool = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/schools/{schoolId}/students-to-check"));
        Assert.True(inSchool.RootElement.GetProperty("students").GetArrayLength() >= listed.Count);

        using var classes = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students?page_size=100"));
        string otherTeacher = classes.RootElement.GetProperty("students").EnumerateArray().Select(s => s.GetProperty("teacher_id").GetString()!)
            .First(t => t != student.GetProperty("teacher_id").GetString());
        var other = CliRun.Of("keys", "create", "--role", "teacher", "--name", "other teacher", "--teacher-id", otherTeacher, "--data-dir", district.DataDirectory);
        Assert.True(other.ExitCode == 0, other.Error);
        using var teacher = served.Client(other.Output.TrimEnd().Split('\n')[^1].Trim());
        using var refused = await teacher.GetAsync($"/api/v1/classes/{classId}/students-to-check");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("class_not_found", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/schools/nowhere/students-to-check")).StatusCode);
        Assert.Contains(await served.Store.ListAuditAsync(500), a => a.Action == "class.checked" && a.Subject == classId);
    }
}
