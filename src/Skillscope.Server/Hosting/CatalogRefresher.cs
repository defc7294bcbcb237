using Skillscope.Scoring.Serving;

namespace Skillscope.Server.Hosting;

/// <summary>
/// Loads and warms every served model before the host reports ready, then polls the registry so that
/// a promotion made by another process (the CLI, another replica) is served within a couple of seconds.
/// </summary>
internal sealed partial class CatalogRefresher(ModelHost host, ILogger<CatalogRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before Kestrel starts listening: the first request already finds the models warm.
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (also when the host failed to start): not a failure of the refresher.
        }
    }

    private async Task RefreshAsync(CancellationToken cancellation)
    {
        try
        {
            long before = host.Catalog.Revision;
            var catalog = await host.RefreshAsync(cancellation: cancellation).ConfigureAwait(false);
            if (catalog.Revision != before)
            {
                LogCatalog(catalog.Revision, catalog.Models.Count, catalog.Failures.Count);
                foreach (var failure in catalog.Failures)
                {
                    LogFailure(failure.Name, failure.Version, failure.Code, failure.Message);
                }
            }
        }
        catch (System.Data.Common.DbException exception) when (exception.IsTransient)
        {
            // The database is down: one line per attempt, not a stack trace every two seconds.
            LogDatabaseUnavailable(exception.Message);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRefreshFailed(exception);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "serving registry revision {Revision}: {Models} models, {Failures} load failures")]
    private partial void LogCatalog(long revision, int models, int failures);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "model {Name} {Version} not loaded ({Code}): {Reason}; the previous version keeps serving")]
    private partial void LogFailure(string name, string version, string code, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "registry refresh failed, the database is unavailable ({Reason}); serving the last catalog")]
    private partial void LogDatabaseUnavailable(string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "registry refresh failed; serving the last catalog")]
    private partial void LogRefreshFailed(Exception exception);
}
