using System.Diagnostics;
using Skillscope.Cli.Commands;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// Where the PostgreSQL connection string comes from: <c>--db</c>, then <c>SKILLSCOPE_DB</c>, then the file
/// <c>SKILLSCOPE_DB_FILE</c> names (a mounted secret). The environment is passed in, not set: tests run in
/// parallel in one process.
/// </summary>
public sealed class ConnectionStringTests
{
    private const string Secret = "Host=db;Username=skillscope;Password=s3cret-Pa55";

    [Theory]
    [InlineData("postgres://skillscope:s3cret-Pa55@127.0.0.1:1/walk")]
    [InlineData("Host=127.0.0.1;Port=abc;Password=s3cret-Pa55")]
    [InlineData("Host=127.0.0.1;Bogus=1;Password=s3cret-Pa55")]
    public void A_connection_string_that_does_not_parse_is_one_line_naming_the_forms_and_never_the_password(string connectionString)
    {
        var run = CliRun.Of("models", "list", "--db", connectionString, "--data-dir", Path.Combine(Path.GetTempPath(), "skillscope-cs-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("s3cret", run.Error + run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_url_form_is_read_as_well()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(Storage.PostgresConnectionString.Normalize("postgresql://ana%40north:p%3Ass@db.internal:6543/skillscope"));
        Assert.Equal(("db.internal", 6543, "skillscope", "ana@north", "p:ss"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal(5432, new Npgsql.NpgsqlConnectionStringBuilder(Storage.PostgresConnectionString.Normalize("postgres://db/x")).Port);
        Assert.Equal("db", new Npgsql.NpgsqlConnectionStringBuilder(Storage.PostgresConnectionString.Normalize("Host=db;Database=x")).Host);
    }

    [Fact]
    public void The_option_wins_over_the_variable_which_wins_over_the_file()
    {
        using var temp = new TempFolder();
        string file = temp.File("db");
        File.WriteAllText(file, "Host=from-file");
        var environment = Environment(("SKILLSCOPE_DB", "Host=from-variable"), ("SKILLSCOPE_DB_FILE", file));

        Assert.Equal("Host=from-option", DataOptions.ConnectionString("Host=from-option", environment));
        Assert.Equal("Host=from-variable", DataOptions.ConnectionString(null, environment));
        Assert.Equal("Host=from-file", DataOptions.ConnectionString(null, Environment(("SKILLSCOPE_DB", ""), ("SKILLSCOPE_DB_FILE", file))));
        Assert.Null(DataOptions.ConnectionString(null, Environment()));
    }

    [Fact]
    public void The_file_is_read_trimmed_as_secrets_are_mounted_with_a_final_newline()
    {
        using var temp = new TempFolder();
        string file = temp.File("db");
        File.WriteAllText(file, $"  {Secret}\n\n");
        Assert.Equal(Secret, DataOptions.ConnectionString(null, Environment(("SKILLSCOPE_DB_FILE", file))));
    }

    [Fact]
    public void A_missing_unreadable_or_empty_file_is_an_error_naming_the_file()
    {
        using var temp = new TempFolder();
        string missing = temp.File("missing");
        var run = Assert.Throws<IOException>(() => DataOptions.ConnectionString(null, Environment(("SKILLSCOPE_DB_FILE", missing))));
        Assert.Contains($"SKILLSCOPE_DB_FILE \"{missing}\" cannot be read", run.Message, StringComparison.Ordinal);

        // A directory where the file should be: unreadable as a file.
        Assert.Throws<IOException>(() => DataOptions.ConnectionString(null, Environment(("SKILLSCOPE_DB_FILE", temp.Path))));

        string empty = temp.File("empty");
        File.WriteAllText(empty, " \n");
        var blank = Assert.Throws<IOException>(() => DataOptions.ConnectionString(null, Environment(("SKILLSCOPE_DB_FILE", empty))));
        Assert.Contains("is empty", blank.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verb_reports_an_unreadable_file_in_one_line_with_exit_code_1()
    {
        // A process of its own: the variable is set for it alone, never for this test process.
        using var temp = new TempFolder();
        string missing = temp.File("db-secret");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(CliApp).Assembly.Location, "keys", "create", "--role", "service", "--name", "x", "--data-dir", temp.File("data") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("SKILLSCOPE_DB");
        start.Environment["SKILLSCOPE_DB_FILE"] = missing;
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));
        Assert.Equal(1, process.ExitCode);
        Assert.StartsWith($"error: SKILLSCOPE_DB_FILE \"{missing}\" cannot be read", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
