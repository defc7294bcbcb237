using Microsoft.Extensions.Caching.Memory;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Settings;
using Skillscope.Scoring.Serving;
using Skillscope.Storage;

namespace Skillscope.Server.Hosting;

/// <summary>
/// On a database replicas share, listens for the changes other processes announce as they commit
/// (<see cref="ClusterChanges"/>) and acts on each at once: the served models are refreshed, the fusion
/// weights and districts' own weights and settings re-read, cached API-key lookups dropped. Each time it (re)connects it does all of them, which
/// catches up on whatever was announced while it was not listening; the periodic polls stay as the
/// fallback. On SQLite (one machine) it does nothing.
/// </summary>
internal sealed partial class ClusterChangeListener(
    SqlRegistryStore store, ModelHost host, IFusionWeightsSource fusion, DistrictFusionWeights districtWeights, DistrictSettingsBook districtSettings, IMemoryCache cache,
    Security.KnownApiKeys knownKeys, ILogger<ClusterChangeListener> logger)
    : BackgroundService
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.SharedByReplicas)
        {
            return;
        }

        bool lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.ListenAsync(topic => ApplyAsync(topic, stoppingToken), async () =>
                {
                    if (lost)
                    {
                        LogListening();
                        lost = false;
                    }

                    await CatchUpAsync(stoppingToken).ConfigureAwait(false);
                }, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                if (!lost)
                {
                    LogLost(exception.Message);
                    lost = true;
                }

                try
                {
                    await Task.Delay(Reconnect, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ApplyAsync(string topic, CancellationToken cancellation)
    {
        try
        {
            switch (topic)
            {
                case ClusterChanges.Registry:
                    await host.RefreshAsync(cancellation: cancellation).ConfigureAwait(false);
                    break;
                case ClusterChanges.Fusion:
                    await fusion.ReloadAsync("notification", cancellation).ConfigureAwait(false);
                    break;
                case ClusterChanges.Districts:
                    // Settings first: they decide whether an LLM may be called at all.
                    await districtSettings.RefreshAsync(cancellation).ConfigureAwait(false);
                    await districtWeights.RefreshAsync(cancellation).ConfigureAwait(false);
                    break;
                case ClusterChanges.Keys:
                    // Every cached key lookup, valid or refused, is forgotten: the next request asks the database.
                    (cache as MemoryCache)?.Compact(1.0);
                    knownKeys.Clear();
                    break;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // What was in force stays; the poll tries again. Listening goes on.
            LogApplyFailed(topic, exception.Message);
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellation)
    {
        foreach (string topic in (string[])[ClusterChanges.Registry, ClusterChanges.Fusion, ClusterChanges.Districts, ClusterChanges.Keys])
        {
            await ApplyAsync(topic, cancellation).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "change notifications lost ({Reason}); polling until the database answers again")]
    private partial void LogLost(string reason);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "announced change {Topic} not applied ({Reason}); what was in force stays until the next poll")]
    private partial void LogApplyFailed(string topic, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "change notifications resumed; caught up with the database")]
    private partial void LogListening();
}
