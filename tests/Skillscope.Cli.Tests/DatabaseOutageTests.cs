using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using Skillscope.Scoring.Tests;
using Skillscope.Server.Tests;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// A replica on a PostgreSQL server that restarts under it: readiness stays up, what needs the database
/// answers 503 <c>database_unavailable</c> with Retry-After (never 500), and the replica recovers on its
/// own — including the change notifications it missed while disconnected.
/// </summary>
public sealed class DatabaseOutageTests
{
    private const string Rows = """{"rows": [[1, 2, 3], [4, 5, 6]]}""";

    [RequiresPostgresFact]
    public async Task A_replica_rides_out_a_database_restart_and_catches_up_on_what_it_missed()
    {
        using var database = ThrowawayPostgres.Create();
        string root = Path.Combine(Path.GetTempPath(), "skillscope-outage", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var logs = new StringBuilder();
        System.Diagnostics.Process? replica = null;
        try
        {
            string setup = Path.Combine(root, "setup");
            foreach (var (version, seed) in new[] { ("1.0.0", 1), ("2.0.0", 7) })
            {
                string zip = Path.Combine(root, $"leads-{version}.zip");
                await File.WriteAllBytesAsync(zip, TestModels.Package(name: "leads", version: version, seed: seed).ToZip());
                Cli("models", "register", "--package", zip, "--db", database.ConnectionString, "--data-dir", setup);
            }

            Cli("models", "promote", "--name", "leads", "--version", "1.0.0", "--db", database.ConnectionString, "--data-dir", setup);
            string key = Cli("keys", "create", "--role", "admin", "--name", "ops", "--db", database.ConnectionString, "--data-dir", setup)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

            int port = CliProcess.FreePort();
            replica = CliProcess.Start(["serve", "--db", database.ConnectionString, "--data-dir", Path.Combine(root, "replica"), "--urls", $"http://127.0.0.1:{port}"], logs,
                // Key lookups trusted for a second only: scoring must go on through the outage by the keys this replica verified lately.
                new() { ["Batch__Schedule"] = "off", ["ApiKeys__CacheSeconds"] = "1" });
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            await CliProcess.WaitReadyAsync(client, replica, logs);
            Assert.Equal("1.0.0", await ServedVersionAsync(client));

            // Down for a few seconds.
            database.Stop();
            var during = new List<(string What, HttpStatusCode Status, string Code, bool RetryAfter)>();
            var outage = DateTime.UtcNow.AddSeconds(6);
            while (DateTime.UtcNow < outage)
            {
                foreach (var (what, request) in new (string, Func<Task<HttpResponseMessage>>)[]
                {
                    ("search", () => client.GetAsync("/api/v1/students?q=a")),
                    ("ready", () => client.GetAsync("/health/ready")),
                    ("predict", () => client.PostAsync("/api/v1/models/leads/predict", RunningServer.Json(Rows))),
                })
                {
                    using var response = await request();
                    string body = await response.Content.ReadAsStringAsync();
                    string code = response.StatusCode == HttpStatusCode.OK ? "" : JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()!;
                    during.Add((what, response.StatusCode, code, response.Headers.RetryAfter is not null));
                }

                await Task.Delay(200);
            }

            Assert.DoesNotContain(during, d => (int)d.Status >= 500 && d.Status != HttpStatusCode.ServiceUnavailable);
            Assert.All(during.Where(d => d.What == "ready"), d => Assert.Equal(HttpStatusCode.OK, d.Status));
            Assert.All(during.Where(d => d.What == "search"), d => Assert.Equal((HttpStatusCode.ServiceUnavailable, "database_unavailable", true), (d.Status, d.Code, d.RetryAfter)));
            Assert.All(during.Where(d => d.What == "predict"), d => Assert.True(d.Status == HttpStatusCode.OK, d.Code));
            using (var detailed = await client.GetAsync("/health/detailed"))
            {
                Assert.Equal("unreachable", JsonDocument.Parse(await detailed.Content.ReadAsStringAsync()).RootElement.GetProperty("database").GetProperty("status").GetString());
            }

            // Back: the replica recovers by itself, and a promotion made now reaches it.
            database.Start();
            await UntilAsync(async () =>
            {
                using var search = await client.GetAsync("/api/v1/students?q=a");
                return search.StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(20), "searches did not recover after the database came back");
            Cli("models", "promote", "--name", "leads", "--version", "2.0.0", "--db", database.ConnectionString, "--data-dir", setup);
            await UntilAsync(async () => await ServedVersionAsync(client) == "2.0.0", TimeSpan.FromSeconds(3), "the promotion after the restart was not served");

            // A notification lost with the listening connection is caught up (on reconnecting, or by the poll).
            await using (var admin = new NpgsqlConnection(database.ConnectionString))
            {
                await admin.OpenAsync();

                // Listening again after the restart first (it reconnects every 2 s).
                await UntilAsync(async () =>
                {
                    await using var listening = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'skillscope-listener'", admin);
                    return (long)(await listening.ExecuteScalarAsync())! == 1;
                }, TimeSpan.FromSeconds(15), "the replica did not listen again after the restart");
                await using var cut = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'skillscope-listener'", admin);
                Assert.Equal(1L, await cut.ExecuteScalarAsync());
            }

            Cli("models", "rollback", "--name", "leads", "--db", database.ConnectionString, "--data-dir", setup);
            await UntilAsync(async () => await ServedVersionAsync(client) == "1.0.0", TimeSpan.FromSeconds(5), "the rollback made while the replica was not listening was not served");
            Assert.False(replica.HasExited);
        }
        finally
        {
            if (replica is not null)
            {
                CliProcess.Stop(replica);
                replica.Dispose();
            }

            Directory.Delete(root, recursive: true);
        }

        lock (logs)
        {
            Assert.Contains("change notifications lost", logs.ToString(), StringComparison.Ordinal);
            Assert.Contains("change notifications resumed", logs.ToString(), StringComparison.Ordinal);
            var errors = logs.ToString().Split('\n').Where(line => line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, string.Join('\n', errors));
        }
    }

    private static string Cli(params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.True(run.ExitCode == 0, $"{string.Join(' ', args[..2])}: {run.Error}{run.Output}");
        return run.Output;
    }

    private static async Task<string?> ServedVersionAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/v1/models/leads/predict", RunningServer.Json(Rows));
        return response.StatusCode == HttpStatusCode.OK
            ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("model_version").GetString()
            : null;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string failure)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }
}
