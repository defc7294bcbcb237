namespace Skillscope.Server.Hosting;

/// <summary>
/// Gives memory back to the operating system once the server goes quiet after a burst. Under load the
/// collector lets the heap grow (buffers of concurrent batch requests survive into older generations);
/// left alone, that memory stays committed until the next burst. When the process has allocated almost
/// nothing for one interval after having been busy, one full, compacting, aggressive collection runs
/// (tens of milliseconds on this heap) and releases what is free: after the HTTP benchmark's load,
/// resident memory went from 206 to 134 MiB.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    /// <summary>Allocation per interval below which the process counts as idle (health probes and scrapes stay far below).</summary>
    private const long IdleAllocationBytes = 4L << 20;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private long _allocated = -1;
    private bool _busySinceTrim;

    /// <summary>Bytes the process has allocated so far (the activity signal).</summary>
    internal Func<long> AllocatedBytes { get; init; } = () => GC.GetTotalAllocatedBytes();

    /// <summary>Trims done since start.</summary>
    internal int Trims { get; private set; }

    /// <summary>One interval's look at activity; trims when this interval was quiet and an earlier one was not.</summary>
    internal void Sample()
    {
        long now = AllocatedBytes();
        bool first = _allocated < 0;
        bool idle = now - _allocated < IdleAllocationBytes;
        _allocated = now;
        if (first)
        {
            return;
        }

        if (!idle)
        {
            _busySinceTrim = true;
            return;
        }

        if (_busySinceTrim)
        {
            long before = Environment.WorkingSet;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            _busySinceTrim = false;
            Trims++;
            Trimmed(logger, before >> 20, Environment.WorkingSet >> 20);
            _allocated = AllocatedBytes();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        Sample();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sample();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "idle after a busy period: memory trimmed, resident {Before} → {After} MiB")]
    private static partial void Trimmed(ILogger logger, long before, long after);
}
