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

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
