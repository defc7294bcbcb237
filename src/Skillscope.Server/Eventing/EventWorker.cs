using Microsoft.Extensions.Options;
using Skillscope.Scoring.Events;
using Skillscope.Server.Hosting;

namespace Skillscope.Server.Eventing;

/// <summary>
/// Posts due event deliveries every <c>Events:DeliverySeconds</c>. Every replica runs it; a delivery is
/// claimed in the database before it is posted, so each is posted by one. Failures are logged and tried again.
/// </summary>
internal sealed partial class EventWorker(EventDeliverer deliverer, IOptions<EventOptions> options, TimeProvider time, ILogger<EventWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled
            ? PeriodicWork.RunAsync(TimeSpan.FromSeconds(options.Value.DeliverySeconds), time, runFirst: false, deliverer.DeliverDueAsync,
                exception => DeliveryFailed(logger, exception.Message), stoppingToken)
            : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event deliveries not posted ({Reason}); they stay pending and are tried again")]
    private static partial void DeliveryFailed(ILogger logger, string reason);
}
