using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>`skillscope import` and `skillscope assess`: line-numbered import errors, and a batch job killed mid-run that resumes without gaps or duplicates.</summary>
public sealed class AssessCommandTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public void Classes_and_teachers_are_listed_with_the_ids_other_commands_take()
    {
        var classes = CliRun.Of("classes", "list", "--data-dir", district.DataDirectory);
        Assert.True(classes.ExitCode == 0, classes.Error);
        var rows = classes.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.NotEmpty(rows);
        Assert.Equal(DemoDistrict.Students, rows.Sum(r => int.Parse(r.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[3], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)));

        var teachers = CliRun.Of("teachers", "list", "--data-dir", district.DataDirectory);
        Assert.True(teachers.ExitCode == 0, teachers.Error);
        string teacher = teachers.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(' ')[0];
        var theirs = CliRun.Of("classes", "list", "--teacher-id", teacher, "--data-dir", district.DataDirectory).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.NotEmpty(theirs);
        Assert.All(theirs, row => Assert.Contains($"  {teacher}", row, StringComparison.Ordinal));
        Assert.True(theirs.Length < rows.Length, "one teacher has some of the classes, not all");
        Assert.Equal("no classes; import a roster with: skillscope import DIR",
            CliRun.Of("classes", "list", "--district-id", "nowhere", "--data-dir", district.DataDirectory).Output.Trim());
    }

    [Fact]
    public void A_killed_assessment_job_resumes_where_it_stopped_with_no_duplicates_and_no_gaps()
    {
        string database = Path.Combine(district.DataDirectory, "skillscope.db");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(CliApp).Assembly.Location, "assess", "--all", "--chunk", "1", "--data-dir", district.DataDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string job;
        long done;
        using (var process = Process.Start(start)!)
        {
            (job, done) = WaitForProgress(database, process, atLeast: 10);
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        Assert.InRange(done, 10, DemoDistrict.Students - 1);
        var resumed = CliRun.Of("assess", "--all", "--data-dir", district.DataDirectory);
        Assert.True(resumed.ExitCode == 0, resumed.Error + resumed.Output);
        Assert.Contains($"resuming {job}", resumed.Output, StringComparison.Ordinal);
        Assert.Contains($"{job} succeeded: 300 students", resumed.Output, StringComparison.Ordinal);

        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT student_id), (SELECT COUNT(*) FROM students) FROM assessments WHERE job_id = $job";
        command.Parameters.AddWithValue("$job", job);
        using var reader = command.ExecuteReader();
        reader.Read();
        Assert.Equal((300L, 300L, 300L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    [Fact]
    public void Import_reports_bad_rows_with_their_lines_imports_the_rest_and_changes_nothing_the_second_time()
    {
        string file = Path.Combine(district.DataDirectory, "teachers-extra.csv");
        File.WriteAllLines(file,
        [
            "id,school_id,name,email",
            "t-new-1,nowhere,Ms Nobody,nobody@example.org",
            "t-new-2,,Mr Blank,blank@example.org",
            "t-new-3,sch-01,Dr Mail,not-an-email",
        ]);
        var schools = File.ReadLines(Path.Combine(district.DataDirectory, "district", "schools.csv")).Skip(1).First().Split(',')[0];
        File.AppendAllLines(file, [$"t-new-4,{schools},Mx Good,good@example.org"]);

        var first = CliRun.Of("import", file, "--kind", "teachers", "--data-dir", district.DataDirectory);
        Assert.Equal(3, first.ExitCode);
        Assert.Contains("line 2: school \"nowhere\" does not exist", first.Output, StringComparison.Ordinal);
        Assert.Contains("line 3: \"school_id\" is required", first.Output, StringComparison.Ordinal);
        Assert.Contains("line 4: \"email\" is not an email address", first.Output, StringComparison.Ordinal);
        Assert.Contains("imported: 1 rows written", first.Output, StringComparison.Ordinal);

        var again = CliRun.Of("import", Path.Combine(district.DataDirectory, "district"), "--data-dir", district.DataDirectory);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("imported: 0 rows written", again.Output, StringComparison.Ordinal);
        var unnamed = CliRun.Of("import", file, "--data-dir", district.DataDirectory);
        Assert.Equal(2, unnamed.ExitCode);
        Assert.Contains("pass --kind", unnamed.Error, StringComparison.Ordinal);
        Assert.Equal(1, CliRun.Of("import", Path.Combine(district.DataDirectory, "missing.csv"), "--data-dir", district.DataDirectory).ExitCode);
    }

    [Fact]
    public void Validate_reports_every_skill_against_ratings_and_the_latent_truth()
    {
        var run = CliRun.Of("validate", "--latent", Path.Combine(district.DataDirectory, "district", "latent.csv"), "--data-dir", district.DataDirectory);
        Assert.True(run.ExitCode == 0, run.Error);
        var rows = run.Output.Split('\n').Where(l => l.StartsWith("empathy ", StringComparison.Ordinal) || l.StartsWith("growth_mindset ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.InRange(double.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture), 0.1, 1);   // r with ratings (300 students: small models)
            Assert.InRange(double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture), 0.3, 1);   // r with the latent skill
            Assert.InRange(double.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture), 0, 0.5);   // ECE (tiny calibration sets at this size)
        }

        Assert.Contains("targets:", run.Output, StringComparison.Ordinal);
        Assert.Equal(1, CliRun.Of("validate", "--job", "no-such-job", "--data-dir", district.DataDirectory).ExitCode);
    }

    /// <summary>Polls the job table until the running job has committed <paramref name="atLeast"/> students.</summary>
    private static (string Job, long Done) WaitForProgress(string database, Process process, int atLeast)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("assess finished before it could be interrupted: " + process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd());
            }

            using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT id, processed FROM assessment_jobs WHERE status = 'running' ORDER BY created_at DESC LIMIT 1";
                using var reader = command.ExecuteReader();
                if (reader.Read() && reader.GetInt64(1) >= atLeast)
                {
                    return (reader.GetString(0), reader.GetInt64(1));
                }
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException("the job made no progress");
    }
}
