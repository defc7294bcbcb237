using Microsoft.Extensions.Options;
using Skillscope.Assessment.Assessing;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Hosting;

namespace Skillscope.Server.Alerting;

/// <summary>
/// Evaluates the alert rules every <c>Alerts:EvaluationSeconds</c> (one replica per interval, claimed in the
/// database) and checks guarded canaries (<see cref="CanaryGuard"/>), logs each alert that fires or resolves, refreshes this replica's <see cref="AlertBoard"/>, and
/// posts due webhook deliveries every <c>Alerts:DeliverySeconds</c>. Failures are logged and tried again next time.
/// </summary>
internal sealed partial class AlertWorker(
    IAlertStore store, AlertBoard board, AlertDeliverer deliverer, CanaryGuard canaries, ModelMonitor monitor, ModelHost host, IScoreMonitor scores,
    AlertRulesService rulesService, IOptions<AlertOptions> options, IOptions<MonitoringOptions> monitoring, TimeProvider time, ILogger<AlertWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        try
        {
            // Rules written before webhook URLs were kept apart: their URLs move out of the clear once.
            if (await rulesService.MoveClearUrlsAsync("system:upgrade", stoppingToken).ConfigureAwait(false))
            {
                UrlsMoved(logger);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            DeliveryFailed(logger, "webhook URLs could not be moved out of the clear yet: " + exception.Message);
        }

        await Task.WhenAll(EvaluateEveryAsync(stoppingToken), DeliverEveryAsync(stoppingToken)).ConfigureAwait(false);
    }

    /// <summary>One evaluation (if this replica's turn) and a refresh of the board: what the loop does each interval.</summary>
    public async Task<AlertCycle?> EvaluateOnceAsync(CancellationToken cancellation)
    {
        var evaluator = new AlertEvaluator(store, new AlertSignals(monitor, host.Catalog, monitoring.Value, scores), time);
        var cycle = await evaluator.EvaluateAsync(options.Value.EvaluationInterval, cancellation).ConfigureAwait(false);
        foreach (var change in cycle?.Events ?? [])
        {
            if (change.Type == AlertEvent.Fired)
            {
                AlertFired(logger, change.RuleId, change.Subject, change.Message);
            }
            else
            {
                AlertResolved(logger, change.RuleId, change.Subject, change.Message);
            }
        }

        foreach (string failure in cycle?.Failures ?? [])
        {
            RuleNotMeasured(logger, failure);
        }

        var (_, rules) = await evaluator.RulesAsync(cancellation).ConfigureAwait(false);
        if (cycle is not null)
        {
            // Guarded splits are checked by the replica whose turn it is, like the rules.
            var rollbacks = await canaries.CheckAsync(rules.Webhooks, cancellation).ConfigureAwait(false);
            foreach (var rollback in rollbacks)
            {
                AlertFired(logger, rollback.RuleId, rollback.Subject, rollback.Message);
            }

            if (rollbacks.Count > 0)
            {
                await host.RefreshAsync(cancellation: cancellation).ConfigureAwait(false);
            }
        }

        board.Refresh(await store.StatesAsync(cancellation).ConfigureAwait(false), rules.Rules.Where(r => r.Enabled).Select(r => r.Id), time.GetUtcNow().UtcDateTime);
        return cycle;
    }

    private async Task EvaluateEveryAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.EvaluationInterval, time);
        do
        {
            try
            {
                await EvaluateOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                EvaluationFailed(logger, exception.Message);
            }
        }
        while (await Tick(timer, stopping).ConfigureAwait(false));
    }

    private async Task DeliverEveryAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.DeliverySeconds), time);
        while (await Tick(timer, stopping).ConfigureAwait(false))
        {
            try
            {
                await deliverer.DeliverDueAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                DeliveryFailed(logger, exception.Message);
            }
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Rule} firing for {Subject}: {Message}")]
    private static partial void AlertFired(ILogger logger, string rule, string subject, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Rule} resolved for {Subject}: {Message}")]
    private static partial void AlertResolved(ILogger logger, string rule, string subject, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert rule not evaluated: {Reason}")]
    private static partial void RuleNotMeasured(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert evaluation failed ({Reason}); it is tried again at the next interval")]
    private static partial void EvaluationFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert webhook URLs moved out of the rules document: kept protected, shown masked")]
    private static partial void UrlsMoved(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert deliveries not posted ({Reason}); they stay pending and are tried again")]
    private static partial void DeliveryFailed(ILogger logger, string reason);
}
