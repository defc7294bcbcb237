using Skillscope.Assessment.Assessing;

namespace Skillscope.Server.Hosting;

/// <summary><c>Batch</c>: the nightly assessment job (cron in a time zone, or <c>off</c>), its kind, and how it is cut into work.</summary>
internal sealed class BatchOptions : ISettings
{
    public const string Section = "Batch";

    public string Schedule { get; set; } = "0 2 * * *";

    public string TimeZone { get; set; } = "UTC";

    public string Kind { get; set; } = JobKind.Incremental;

    /// <summary>Students per commit.</summary>
    public int ChunkSize { get; set; } = 1_000;

    /// <summary>Students per partition a replica leases.</summary>
    public int PartitionSize { get; set; } = 5_000;

    /// <summary>How this replica is named in leases (default: the machine's name).</summary>
    public string? WorkerName { get; set; }

    public string? Problem() =>
        Kind is not (JobKind.Full or JobKind.Incremental) ? $"{Section}:Kind must be \"{JobKind.Full}\" or \"{JobKind.Incremental}\" (it is \"{Kind}\")"
        : ChunkSize is < 1 or > 100_000 ? $"{Section}:ChunkSize must be between 1 and 100,000 (it is {ChunkSize})"
        : PartitionSize < 1 ? $"{Section}:PartitionSize must be 1 or more (it is {PartitionSize})"
        : null;
}
