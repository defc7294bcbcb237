using Microsoft.Extensions.Options;
using Skillscope.Scoring.Monitoring;

namespace Skillscope.Server.Hosting;

/// <summary>Writes this replica's monitoring counts every <c>Monitoring:FlushSeconds</c>, and once more as it stops.</summary>
internal sealed partial class MonitoringFlusher(ModelMonitor monitor, IOptions<MonitoringOptions> options, ILogger<MonitoringFlusher> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled
            ? monitor.RunAsync(TimeSpan.FromSeconds(options.Value.FlushSeconds), exception => FlushFailed(logger, exception.Message), stoppingToken)
            : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring counts not written ({Reason}); they are kept and written on the next try")]
    private static partial void FlushFailed(ILogger logger, string reason);
}
