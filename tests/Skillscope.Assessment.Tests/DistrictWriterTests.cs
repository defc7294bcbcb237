using System.Text.Json;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>A generated district on disk: every file present, one line per record, latent skills kept apart.</summary>
public sealed class DistrictWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "skillscope-tests", Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_files_hold_the_roster_evidence_ratings_and_separate_latent_skills()
    {
        var generator = new DistrictGenerator(9);
        var roster = generator.Roster(120);
        var (utterances, events) = DistrictWriter.Write(generator, roster, _directory, SkillCatalog.Default.Skills);

        Assert.Equal(121, File.ReadAllLines(Path.Combine(_directory, "students.csv")).Length);
        Assert.Equal(1 + (120 * 7), File.ReadAllLines(Path.Combine(_directory, "ratings.csv")).Length);
        Assert.Equal(121, File.ReadAllLines(Path.Combine(_directory, "latent.csv")).Length);
        Assert.Equal(utterances, File.ReadLines(Path.Combine(_directory, "utterances.jsonl")).LongCount());
        Assert.Equal(events, File.ReadLines(Path.Combine(_directory, "events.jsonl")).LongCount());
        using var first = JsonDocument.Parse(File.ReadLines(Path.Combine(_directory, "utterances.jsonl")).First());
        Assert.StartsWith("st", first.RootElement.GetProperty("student_id").GetString(), StringComparison.Ordinal);
        Assert.Contains("c1,s1,Grade 3 – A,3,t1", File.ReadAllText(Path.Combine(_directory, "classes.csv")), StringComparison.Ordinal);
    }
}
