using Microsoft.Extensions.Options;
using Skillscope.Assessment.Training;
using Skillscope.Server.Hosting;

namespace Skillscope.Server.Learning;

/// <summary>
/// Retrains the skill models at the times <c>Training:Schedule</c> names (cron in <c>Training:TimeZone</c>;
/// <c>off</c> by default). Every replica watches the schedule; the one that records the run for a time first
/// runs it (<see cref="IRetrainRuns.StartAsync"/>), the others skip it.
/// </summary>
internal sealed partial class RetrainWorker(Retrainer retrainer, IOptions<TrainingOptions> options, TimeProvider time, ILogger<RetrainWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Schedule.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var schedule = CronSchedule.Parse(settings.Schedule, settings.TimeZone, TrainingOptions.Section);
        var next = schedule.Next(time.GetUtcNow().UtcDateTime);
        while (next is { } due && !stoppingToken.IsCancellationRequested)
        {
            if (time.GetUtcNow().UtcDateTime >= due)
            {
                try
                {
                    var (run, report) = await retrainer.RunAsync("schedule", due, stoppingToken).ConfigureAwait(false);
                    RunDone(logger, run, report.Decision, report.Reason);
                }
                catch (RetrainRefusedException exception)
                {
                    RunRefused(logger, exception.Message);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Recorded as failed with its message; the next scheduled time tries again.
                    RunFailed(logger, exception);
                }

                // From now, not from the time run: times missed while it ran (or the replica was down) are not run one after another.
                next = schedule.Next(time.GetUtcNow().UtcDateTime);
                continue;
            }

            await Task.Delay(Poll, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "retraining run {Run}: {Decision} ({Reason})")]
    private static partial void RunDone(ILogger logger, long run, string decision, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "retraining not run: {Reason}")]
    private static partial void RunRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "retraining run failed; the next scheduled time tries again")]
    private static partial void RunFailed(ILogger logger, Exception exception);
}
