using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Settings;

namespace Skillscope.Server.Hosting;

/// <summary>
/// Reads districts' own fusion weights and settings before the host starts listening (a district that turned the LLM
/// off is never assessed with the installation's settings for a moment; a read that fails stops the start), then every
/// two seconds, so a change saved on one replica reaches every replica's assessments within that (the replica that saved
/// it has it at once; on PostgreSQL the others are told as it commits).
/// </summary>
internal sealed partial class DistrictsRefresher(DistrictFusionWeights weights, DistrictSettingsBook settings, TimeProvider time, ILogger<DistrictsRefresher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await weights.RefreshAsync(cancellationToken).ConfigureAwait(false);
        await settings.RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(Every, time, runFirst: false, RefreshAsync, exception => RefreshFailed(logger, exception.Message), stoppingToken);

    // Each on its own: one district's unreadable weights must not keep every district's settings from being read.
    private async Task RefreshAsync(CancellationToken cancellation)
    {
        Exception? failed = null;
        foreach (var book in (Func<CancellationToken, Task>[])[weights.RefreshAsync, settings.RefreshAsync])
        {
            try
            {
                await book(cancellation).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failed ??= exception;
            }
        }

        if (failed is not null)
        {
            throw failed;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "districts' own fusion weights or settings not read ({Reason}); the ones read last stay in force")]
    private static partial void RefreshFailed(ILogger logger, string reason);
}
