using System.Collections.Concurrent;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Http;

namespace Skillscope.Server.Security;

/// <summary>
/// Counts each API key's requests in memory and adds them to the key's row every few seconds (and at
/// shutdown): a write per scored request would cost more than the scoring. A count that cannot be written
/// (the database away) is kept for the next try.
/// </summary>
internal sealed class ApiKeyUsage(IRegistryStore store, TimeProvider time, ILogger<ApiKeyUsage> log) : BackgroundService
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    /// <summary>One request made with key <paramref name="keyId"/>.</summary>
    public void Record(string keyId)
    {
        var counter = _counters.GetOrAdd(keyId, static _ => new Counter());
        Interlocked.Increment(ref counter.Requests);
        Volatile.Write(ref counter.LastUsedTicks, time.GetUtcNow().UtcTicks);
    }

    /// <summary>Writes what was counted since the last flush.</summary>
    public async Task FlushAsync(CancellationToken cancellation)
    {
        var uses = new List<ApiKeyUse>();
        foreach (var (id, counter) in _counters)
        {
            long requests = Interlocked.Exchange(ref counter.Requests, 0);
            if (requests > 0)
            {
                uses.Add(new ApiKeyUse(id, requests, new DateTime(Volatile.Read(ref counter.LastUsedTicks), DateTimeKind.Utc)));
            }
        }

        try
        {
            await store.RecordApiKeyUseAsync(uses, cancellation).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException exception)
        {
            Restore(uses);
            ServerLog.KeyUsageKept(log, exception.Message);
        }
        catch (OperationCanceledException)
        {
            Restore(uses);
            throw;
        }
    }

    private void Restore(List<ApiKeyUse> uses)
    {
        foreach (var use in uses)
        {
            Interlocked.Add(ref _counters.GetOrAdd(use.KeyId, static _ => new Counter()).Requests, use.Requests);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last counts are written below.
        }

        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await FlushAsync(last.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ServerLog.KeyUsageLost(log);
        }
    }

    private sealed class Counter
    {
        public long Requests;
        public long LastUsedTicks;
    }
}
