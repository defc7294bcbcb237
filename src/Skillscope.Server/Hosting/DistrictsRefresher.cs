using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Settings;

namespace Skillscope.Server.Hosting;

/// <summary>
/// Reads districts' own fusion weights and settings every two seconds, so a change saved on one replica reaches
/// every replica's assessments within that (the replica that saved it has it at once; on PostgreSQL the others are
/// told as it commits).
/// </summary>
internal sealed partial class DistrictsRefresher(DistrictFusionWeights weights, DistrictSettingsBook settings, TimeProvider time, ILogger<DistrictsRefresher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    private async Task RefreshAsync(CancellationToken cancellation)
    {
        await weights.RefreshAsync(cancellation).ConfigureAwait(false);
        await settings.RefreshAsync(cancellation).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(Every, time, runFirst: true, RefreshAsync, exception => RefreshFailed(logger, exception.Message), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "districts' own fusion weights and settings not read ({Reason}); the ones read last stay in force")]
    private static partial void RefreshFailed(ILogger logger, string reason);
}
