using Microsoft.Extensions.Options;
using Skillscope.Scoring.Monitoring;

namespace Skillscope.Server.Hosting;

/// <summary>Scores shadow candidates on the rows served versions scored, in the background (only while monitoring is on).</summary>
internal sealed class ShadowWorker(ModelMonitor monitor, IOptions<MonitoringOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled ? monitor.Shadows.RunAsync(stoppingToken) : Task.CompletedTask;
}
