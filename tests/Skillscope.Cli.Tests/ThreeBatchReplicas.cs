namespace Skillscope.Cli.Tests;

/// <summary>
/// Three replicas over a generated district of <see cref="Students"/> students imported into their
/// database, with the seven skill models trained and promoted there. Each replica has a worker name of
/// its own, so they treat one another as separate machines (a dead one's leases run out; they are not
/// taken over by process id), and jobs are split into small partitions of small chunks, so a job has
/// many of them to share.
/// </summary>
public sealed class ThreeBatchReplicas : ThreeReplicas
{
    public const int Students = 20_000;

    protected override Dictionary<string, string> Settings(int number)
    {
        var settings = base.Settings(number);
        settings["Batch__WorkerName"] = $"replica-{number}";
        settings["Batch__PartitionSize"] = "1000";
        settings["Batch__ChunkSize"] = "250";
        return settings;
    }

    protected override Task PrepareAsync(string setupDirectory)
    {
        string district = Path.Combine(setupDirectory, "district");
        foreach (string[] step in new[]
        {
            new[] { "generate", "--students", Students.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "29", "--gzip", "--out", district },
            ["import", district, "--db", ConnectionString, "--data-dir", setupDirectory],
            ["train", "skills", "--from-db", "--db", ConnectionString, "--data-dir", setupDirectory],
        })
        {
            var run = CliRun.Of(step);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"{string.Join(' ', step[..2])} failed ({run.ExitCode}): {run.Error}{run.Output}");
            }
        }

        return Task.CompletedTask;
    }
}
