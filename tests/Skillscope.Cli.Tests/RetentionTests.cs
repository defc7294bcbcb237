using Microsoft.Data.Sqlite;
using Skillscope.Assessment.Assessing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// Transcript retention: transcripts older than the period go with every quote of them in stored
/// assessments; scores stay; the students are reassessed from what remains.
/// </summary>
public sealed class RetentionTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public void Old_transcripts_and_their_quotes_go_and_the_scores_stay()
    {
        string database = Path.Combine(district.DataDirectory, "skillscope.db");
        long scores = Scalar(database, "SELECT COUNT(*) FROM skill_scores");
        Assert.True(Scalar(database, "SELECT COUNT(*) FROM utterances") > 0);
        var quotes = Payloads(database).SelectMany(Quotes).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(quotes);

        // The demo's term ended hours ago: a 90-day policy keeps everything.
        var kept = CliRun.Of("students", "retention", "--days", "90", "--data-dir", district.DataDirectory);
        Assert.True(kept.ExitCode == 0, kept.Error);
        Assert.StartsWith("deleted 0 utterances", kept.Output, StringComparison.Ordinal);

        var run = CliRun.Of("students", "retention", "--days", "0", "--data-dir", district.DataDirectory);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.DoesNotContain("deleted 0 utterances", run.Output, StringComparison.Ordinal);

        Assert.Equal(0, Scalar(database, "SELECT COUNT(*) FROM utterances"));
        Assert.Equal(scores, Scalar(database, "SELECT COUNT(*) FROM skill_scores"));
        // Features (and their exemplar sentences) of students whose transcripts went are gone; students
        // without transcripts keep theirs.
        Assert.Equal(0, Scalar(database, "SELECT COUNT(*) FROM student_features WHERE exemplars <> '{}'"));
        foreach (string payload in Payloads(database))
        {
            Assert.Empty(Quotes(payload));
            Assert.All(quotes, quote => Assert.DoesNotContain(quote, payload, StringComparison.Ordinal));
        }

        // Every affected student has new evidence now: an incremental job reassesses them from their game events.
        var reassess = CliRun.Of("assess", "--incremental", "--data-dir", district.DataDirectory);
        Assert.True(reassess.ExitCode == 0, reassess.Error + reassess.Output);
        string affected = System.Text.RegularExpressions.Regex.Match(run.Output, @"utterances of ([\d,]+) students").Groups[1].Value;
        Assert.Contains($"succeeded: {affected} students", reassess.Output, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Quotes(string payload) =>
        [.. AssessmentJson.Deserialize(payload).Skills.SelectMany(skill => skill.Evidence).Where(item => item.Quote is not null).Select(item => item.Quote!)];

    private static List<string> Payloads(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM assessments";
        using var reader = command.ExecuteReader();
        var payloads = new List<string>();
        while (reader.Read())
        {
            payloads.Add(reader.GetString(0));
        }

        return payloads;
    }

    private static long Scalar(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
