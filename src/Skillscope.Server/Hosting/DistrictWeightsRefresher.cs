using Skillscope.Assessment.Fusion;

namespace Skillscope.Server.Hosting;

/// <summary>
/// Reads districts' own fusion weights every two seconds, so a change saved on one replica reaches every
/// replica's assessments within that (the replica that saved it has it at once).
/// </summary>
internal sealed partial class DistrictWeightsRefresher(DistrictFusionWeights districts, TimeProvider time, ILogger<DistrictWeightsRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(Every, time, runFirst: true, districts.RefreshAsync, exception => RefreshFailed(logger, exception.Message), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "districts' fusion weights not read ({Reason}); the ones read last stay in force")]
    private static partial void RefreshFailed(ILogger logger, string reason);
}
