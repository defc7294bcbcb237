using Microsoft.Extensions.Options;
using Skillscope.Scoring.Events;

namespace Skillscope.Server.Eventing;

/// <summary>
/// Posts due event deliveries every <c>Events:DeliverySeconds</c>. Every replica runs it; a delivery is
/// claimed in the database before it is posted, so each is posted by one. Failures are logged and tried again.
/// </summary>
internal sealed partial class EventWorker(EventDeliverer deliverer, IOptions<EventOptions> options, TimeProvider time, ILogger<EventWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.DeliverySeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await deliverer.DeliverDueAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    DeliveryFailed(logger, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event deliveries not posted ({Reason}); they stay pending and are tried again")]
    private static partial void DeliveryFailed(ILogger logger, string reason);
}
