using System.Net;
using System.Text;
using System.Text.Json;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>The seven skill models trained by the CLI, served through the skills API.</summary>
public sealed class SkillsApiTests
{
    [Fact]
    public async Task Features_in_seven_skills_out_with_confidence_and_evidence()
    {
        using var folder = new TempFolder();
        string data = folder.File("data"), district = folder.File("district");
        Assert.Equal(0, CliRun.Of("train", "skills", "--students", "600", "--seed", "5", "--data-dir", data).ExitCode);
        Assert.Equal(0, CliRun.Of("generate", "--students", "100", "--seed", "6", "--out", district).ExitCode);
        Assert.Equal(0, CliRun.Of("features", "extract", "--district", district, "--out", folder.File("features.jsonl")).ExitCode);
        var students = File.ReadLines(folder.File("features.jsonl")).Take(3).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("features").GetRawText()).ToList();
        string key = CliRun.Of("keys", "create", "--role", "service", "--name", "sis", "--data-dir", data).Output.TrimEnd().Split('\n')[^1].Trim();

        await using var served = await ServedHost.StartAsync(data);
        using var client = served.Client(key);

        using var one = await Post(client, "/api/v1/skills/infer", "{\"student_id\": \"st1\", \"features\": " + students[0] + ", \"evidence\": 3}");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        using var json = JsonDocument.Parse(await one.Content.ReadAsStringAsync());
        var skills = json.RootElement.GetProperty("skills").EnumerateArray().ToList();
        Assert.Equal(7, skills.Count);
        foreach (var skill in skills)
        {
            Assert.InRange(skill.GetProperty("score").GetDouble(), 0, 1);
            Assert.InRange(skill.GetProperty("confidence").GetDouble(), 0, 1);
            Assert.StartsWith("skill_", skill.GetProperty("model_id").GetString(), StringComparison.Ordinal);
            var evidence = skill.GetProperty("evidence").EnumerateArray().ToList();
            Assert.InRange(evidence.Count, 1, 3);
            Assert.All(evidence, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("label").GetString())));
        }

        using var batch = await Post(client, "/api/v1/skills/infer/batch",
            "{\"items\": [{\"student_id\": \"a\", \"features\": " + students[1] + "}, {\"student_id\": \"b\", \"features\": " + students[2]
            + ", \"skill\": \"empathy\"}, {\"features\": {}}]}");
        using var batchJson = JsonDocument.Parse(await batch.Content.ReadAsStringAsync());
        var items = batchJson.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(7, items[0].GetProperty("skills").GetArrayLength());
        Assert.Equal("empathy", Assert.Single(items[1].GetProperty("skills").EnumerateArray()).GetProperty("skill").GetString());
        Assert.Equal("no_evidence", items[2].GetProperty("errors")[0].GetProperty("code").GetString());

        using var nothing = await Post(client, "/api/v1/skills/infer", """{"features": {}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nothing.StatusCode);
        using var unknown = await Post(client, "/api/v1/skills/infer", """{"features": {"session_count": 3}, "skill": "kindness"}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
}
