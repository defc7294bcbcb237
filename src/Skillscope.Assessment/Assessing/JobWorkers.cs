namespace Skillscope.Assessment.Assessing;

/// <summary>
/// What each worker (a replica, an <c>assess</c> command) did for a job, from its partitions: a
/// partition counts for the worker that holds it or finished it last.
/// </summary>
public sealed record JobWorkers(string Worker, int PartitionsDone, int PartitionsRunning, long Processed, double ElapsedSeconds)
{
    /// <summary>Students per second while this worker's partitions were being worked on.</summary>
    public double Throughput => ElapsedSeconds > 0 ? Processed / ElapsedSeconds : 0;

    public static IReadOnlyList<JobWorkers> Of(IReadOnlyList<JobPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        return partitions.Where(p => p.Owner is not null)
            .GroupBy(p => p.Owner!, StringComparer.Ordinal)
            .Select(g => new JobWorkers(g.Key, g.Count(p => p.Status == PartitionStatus.Done), g.Count(p => p.Status == PartitionStatus.Running),
                g.Sum(p => p.Processed), g.Sum(p => p.ElapsedSeconds)))
            .OrderBy(w => w.Worker, StringComparer.Ordinal)
            .ToList();
    }
}
