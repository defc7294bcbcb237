using Skillscope.Testing;

namespace Skillscope.Cli.Tests;

/// <summary>
/// A data directory prepared once per test class by <c>skillscope demo --no-serve</c> on a small
/// district: imported roster and evidence, seven trained models, every student assessed, an admin key.
/// </summary>
public sealed class DemoDistrict : IDisposable
{
    public const int Students = 300;

    private readonly TempFolder _folder = new();

    public DemoDistrict()
    {
        DataDirectory = _folder.File("data");
        var run = CliRun.Of("demo", "--students", Students.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "9", "--no-serve", "--data-dir", DataDirectory);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"demo failed ({run.ExitCode}): {run.Error}\n{run.Output}");
        }

        Output = run.Output;
        AdminKey = run.Output.TrimEnd().Split('\n')[^1].Trim();
    }

    public string DataDirectory { get; }

    public string Output { get; }

    public string AdminKey { get; }

    /// <summary>The dashboard password the demo printed for its <c>teacher</c> or <c>admin</c> login.</summary>
    public string Password(string username) =>
        System.Text.RegularExpressions.Regex.Match(Output, $@"{username} login: {username} / (\S+)").Groups[1].Value;

    /// <summary>Registers another version of a skill model from the files of its first one, so that there are two to promote or split between.</summary>
    public void RegisterVersion(string model, string version)
    {
        string package = Directory.GetDirectories(Path.Combine(DataDirectory, "models", model))[0];
        var registered = CliRun.Of("models", "register", "--name", model, "--version", version, "--model", Path.Combine(package, "model.ubj"),
            "--schema", Path.Combine(package, "schema.json"), "--data-dir", DataDirectory);
        if (registered.ExitCode != 0)
        {
            throw new InvalidOperationException($"registering {model} {version} failed ({registered.ExitCode}): {registered.Error}");
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
