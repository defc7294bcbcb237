using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Skillscope.Server.Tests;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// A cluster on loopback: a fresh PostgreSQL database and three <c>skillscope serve</c> processes, each
/// with its own empty data directory and only <c>--db</c> in common, plus an admin API key and an admin
/// dashboard account made with the command line. Started on first use, once for the test class.
/// </summary>
public class ThreeReplicas : IAsyncLifetime
{
    private readonly Lazy<Task> _started;
    private readonly List<(Process Process, StringBuilder Logs)> _replicas = [];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "skillscope-cluster", Guid.NewGuid().ToString("N"));
    private ScratchPostgresDatabase? _database;

    public ThreeReplicas()
    {
        _started = new Lazy<Task>(StartAsync);
    }

    public string ConnectionString { get; private set; } = "";

    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    public string AdminKey { get; private set; } = "";

    public string AdminPassword { get; private set; } = "";

    public const string AdminUser = "ops-admin";

    /// <summary>Starts the cluster the first time it is asked for; later calls wait for that start.</summary>
    public Task EnsureStartedAsync() => _started.Value;

    /// <summary>Ends replica <paramref name="index"/> at once, as a crash or an out-of-memory kill would (SIGKILL: nothing is flushed).</summary>
    public void Kill(int index) => _replicas[index].Process.Kill();

    /// <summary>Settings of replica <paramref name="number"/> (1–3) by environment variable, besides its database and data directory.</summary>
    protected virtual Dictionary<string, string> Settings(int number) => new() { ["Batch__Schedule"] = "off", ["RateLimit__PermitsPerSecond"] = "1000000" };

    /// <summary>Runs once the database and the admin key exist, before the replicas start (e.g. to import a district).</summary>
    protected virtual Task PrepareAsync(string setupDirectory) => Task.CompletedTask;

    private async Task StartAsync()
    {
        _database = await ScratchPostgresDatabase.CreateAsync("skillscope_cluster");
        ConnectionString = _database.ConnectionString;
        string setup = Path.Combine(_root, "setup");
        var key = CliRun.Of("keys", "create", "--role", "admin", "--name", "cluster-ops", "--db", ConnectionString, "--data-dir", setup);
        Assert.True(key.ExitCode == 0, key.Error);
        AdminKey = LastLine(key.Output);
        var user = CliRun.Of("users", "create", "--role", "admin", "--username", AdminUser, "--db", ConnectionString, "--data-dir", setup);
        Assert.True(user.ExitCode == 0, user.Error);
        AdminPassword = LastLine(user.Output);
        await PrepareAsync(setup);

        var addresses = new List<Uri>();
        for (int i = 1; i <= 3; i++)
        {
            int port = CliProcess.FreePort();
            var logs = new StringBuilder();
            var process = CliProcess.Start(
                ["serve", "--db", ConnectionString, "--data-dir", Path.Combine(_root, $"replica-{i}"), "--urls", $"http://127.0.0.1:{port}"], logs,
                Settings(i));
            _replicas.Add((process, logs));
            addresses.Add(new Uri($"http://127.0.0.1:{port}"));
        }

        for (int i = 0; i < 3; i++)
        {
            using var probe = new HttpClient { BaseAddress = addresses[i] };
            await CliProcess.WaitReadyAsync(probe, _replicas[i].Process, _replicas[i].Logs);
        }

        Addresses = addresses;
    }

    /// <summary>An API client of replica <paramref name="index"/> (0–2) with the admin key.</summary>
    public HttpClient Client(int index)
    {
        var client = new HttpClient { BaseAddress = Addresses[index], Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>What replica <paramref name="index"/> has logged so far.</summary>
    public string Logs(int index)
    {
        var logs = _replicas[index].Logs;
        lock (logs)
        {
            return logs.ToString();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var (process, _) in _replicas)
        {
            CliProcess.Stop(process);
            process.Dispose();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

    }

    protected static string LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
}
