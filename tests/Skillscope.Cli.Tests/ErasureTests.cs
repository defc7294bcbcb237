using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// Erasure through `skillscope students erase` and `DELETE /api/v1/students/{id}`: afterwards no table
/// holds the student's id or name — every table is checked, not a list of the ones we remember.
/// </summary>
public sealed class ErasureTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    // Kept on purpose: the audit log records who erased whom (by id), and a job's cursor is an id.
    private static readonly string[] KeptTables = ["audit_log", "assessment_jobs"];

    [Fact]
    public async Task A_student_erased_by_the_cli_or_the_api_is_nowhere_in_the_database()
    {
        string database = Path.Combine(district.DataDirectory, "skillscope.db");
        var (cliStudent, apiStudent) = ("st0000003", "st0000004");
        var names = new[] { Name(database, cliStudent), Name(database, apiStudent) };
        foreach (string student in new[] { cliStudent, apiStudent })
        {
            Execute(database, "INSERT INTO accuracy_feedback (assessment_id, student_id, username, at, verdict, skills_off, comment) VALUES (1, $id, 'teacher', '2026-11-30T00:00:00Z', 'no', '', 'about them')", student);
            Execute(database, "INSERT INTO feedback_cache (cache_key, feedback, created_ms, expires_ms, student_id) VALUES ('k-' || $id, '{}', 0, 9999999999999, $id)", student);
            Execute(database, "INSERT INTO utterances (student_id, id, session_id, at_ms, source, text) VALUES ($id, 'marker', 's', 0, 'written', 'My secret is " + Marker(student) + "')", student);
            Assert.True(Occurrences(database, student) > 0);
        }

        var run = CliRun.Of("students", "erase", cliStudent, "--data-dir", district.DataDirectory);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"erased {cliStudent}:", run.Output, StringComparison.Ordinal);
        Assert.Contains("1 students", run.Output, StringComparison.Ordinal);

        await using (var served = await ServedHost.StartAsync(district.DataDirectory))
        {
            using var client = served.Client(district.AdminKey);
            using var response = await client.DeleteAsync($"/api/v1/students/{apiStudent}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(1, body.RootElement.GetProperty("erased").GetProperty("students").GetInt32());
            Assert.True(body.RootElement.GetProperty("erased").GetProperty("utterances").GetInt32() > 0);
            using var again = await client.DeleteAsync($"/api/v1/students/{apiStudent}");
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            using var gone = await client.GetAsync($"/api/v1/students/{apiStudent}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        foreach (string student in new[] { cliStudent, apiStudent })
        {
            Assert.Equal(0, Occurrences(database, student));
        }

        foreach (var (first, last) in names)
        {
            Assert.Equal(0, Scalar(database, "SELECT COUNT(*) FROM students WHERE first_name = $a AND last_name = $b", first, last));
        }

        Assert.Equal(2, Scalar(database, "SELECT COUNT(*) FROM audit_log WHERE action = 'student.erased'"));

        // Not in the files either: deleted rows are overwritten, and the WAL, which held earlier versions of
        // their pages, is checkpointed and truncated.
        foreach (string file in new[] { database, database + "-wal" }.Where(File.Exists))
        {
            byte[] bytes = File.ReadAllBytes(file);
            foreach (string student in new[] { cliStudent, apiStudent })
            {
                Assert.True(bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(Marker(student))) < 0, $"{Path.GetFileName(file)} still holds {student}'s sentence");
            }
        }

        Assert.NotEqual(0, CliRun.Of("students", "erase", cliStudent, "--data-dir", district.DataDirectory).ExitCode);
    }

    private static string Marker(string student) => $"the-erased-sentence-of-{student}";

    /// <summary>Rows, over every text column of every table but the kept ones, that mention <paramref name="id"/>.</summary>
    private static long Occurrences(string database, string id)
    {
        using var connection = Open(database);
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("utterances", tables);
        long found = 0;
        foreach (string table in tables.Except(KeptTables))
        {
            var columns = new List<string>();
            using (var info = connection.CreateCommand())
            {
                info.CommandText = $"SELECT name, type FROM pragma_table_info('{table}')";
                using var reader = info.ExecuteReader();
                while (reader.Read())
                {
                    if (reader.GetString(1).Equals("TEXT", StringComparison.OrdinalIgnoreCase))
                    {
                        columns.Add(reader.GetString(0));
                    }
                }
            }

            if (columns.Count > 0)
            {
                found += Scalar(database, $"SELECT COUNT(*) FROM {table} WHERE " + string.Join(" OR ", columns.Select(c => $"instr({c}, $a) > 0")), id);
            }
        }

        return found;
    }

    private static (string First, string Last) Name(string database, string id)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT first_name, last_name FROM students WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"{id} is in the demo district");
        return (reader.GetString(0), reader.GetString(1));
    }

    private static void Execute(string database, string sql, string id)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    private static long Scalar(string database, string sql, string? a = null, string? b = null)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (a is not null)
        {
            command.Parameters.AddWithValue("$a", a);
        }

        if (b is not null)
        {
            command.Parameters.AddWithValue("$b", b);
        }

        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        return connection;
    }
}
