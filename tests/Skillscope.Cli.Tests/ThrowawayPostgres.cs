using System.Diagnostics;
using System.Globalization;

namespace Skillscope.Cli.Tests;

/// <summary>
/// A PostgreSQL server of its own on a free loopback port (Debian's binaries, run as the postgres user),
/// for tests that stop and restart the database under running replicas: the shared test server cannot
/// be restarted while other test assemblies use it.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _directory;

    private ThrowawayPostgres(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=10";

    public static ThrowawayPostgres Create()
    {
        string bin = Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
            .Where(Directory.Exists).OrderBy(v => int.Parse(Path.GetFileName(Path.GetDirectoryName(v))!, CultureInfo.InvariantCulture)).LastOrDefault()
            ?? throw new InvalidOperationException("no PostgreSQL server binaries under /usr/lib/postgresql (.ci/run installs the postgresql package)");
        string directory = Path.Combine(Path.GetTempPath(), "skillscope-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        Run("chown", "postgres:postgres", directory);
        var server = new ThrowawayPostgres(bin, directory, CliProcess.FreePort());
        try
        {
            server.AsPostgres("initdb", "-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8");
            server.Start();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    public void Start() => AsPostgres("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {_directory} -c fsync=off", "start");

    /// <summary>Stops the server the way an operator's restart does: clients are disconnected, nothing waits for them.</summary>
    public void Stop() => AsPostgres("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "stop");

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // Stopped already.
        }

        Directory.Delete(_directory, recursive: true);
    }

    private void AsPostgres(string tool, params string[] arguments) => Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments]);

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output}");
        }
    }
}
