using Microsoft.Extensions.Options;
using Skillscope.Server.Hosting;

namespace Skillscope.Server.Learning;

/// <summary>
/// Checks the rollouts under way every <c>Training:RolloutCheckSeconds</c> (<see cref="RolloutAdvancer"/>). Every
/// replica checks; a move is written over the stage read, so one replica makes each.
/// </summary>
internal sealed partial class RolloutWorker(RolloutAdvancer advancer, IOptions<TrainingOptions> options, TimeProvider time, ILogger<RolloutWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(TimeSpan.FromSeconds(options.Value.RolloutCheckSeconds), time, runFirst: false, async stopping =>
        {
            foreach (var moved in await advancer.CheckAsync(stopping).ConfigureAwait(false))
            {
                Moved(logger, moved.Model, moved.Version, moved.Stage, moved.Reason);
            }
        }, exception => CheckFailed(logger, exception.Message), stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "rollout of {Model} {Version}: {Stage} ({Reason})")]
    private static partial void Moved(ILogger logger, string model, string version, string stage, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "rollouts not checked ({Reason}); they are checked again at the next interval")]
    private static partial void CheckFailed(ILogger logger, string reason);
}
