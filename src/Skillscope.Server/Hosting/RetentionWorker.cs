using Microsoft.Extensions.Options;
using Skillscope.Assessment.Privacy;
using Skillscope.Assessment.Settings;

namespace Skillscope.Server.Hosting;

/// <summary>
/// Applies the transcript retention policy in the host: at start and then every hour, transcripts older
/// than <c>Retention:TranscriptDays</c> (default 90; 0 or less turns it off), or than their district's own
/// period where its admin set one, are deleted and the quotes of them in stored assessments removed; scores are kept.
/// </summary>
internal sealed partial class RetentionWorker(TranscriptRetention retention, DistrictSettingsBook districts, IOptions<RetentionOptions> options, TimeProvider time,
    ILogger<RetentionWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Districts' own periods are read first, each round: a district that keeps transcripts longer than the
                // installation must never lose them to the installation's period because its settings were not read yet.
                await districts.RefreshAsync(stoppingToken).ConfigureAwait(false);
                int days = options.Value.TranscriptDays;
                var districtDays = districts.TranscriptDays();
                var result = await retention.ApplyAsync(days > 0 ? days : null, districtDays, time.GetUtcNow().UtcDateTime, stoppingToken).ConfigureAwait(false);
                if (result.UtterancesDeleted > 0)
                {
                    Applied(logger, days, districtDays.Count, result.UtterancesDeleted, result.Students, result.AssessmentsScrubbed);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The next round tries again; the host must not stop over it.
                Failed(logger, exception);
            }

            // Stopping ends the wait quietly: the loop condition sees it (a throw here read as a failure).
            await Task.Delay(Every, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "retention ({Days} days; {Districts} districts with their own): {Deleted} utterances deleted for {Students} students, {Scrubbed} assessments lost their quotes")]
    private static partial void Applied(ILogger logger, int days, int districts, int deleted, int students, int scrubbed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "retention round failed; it runs again within the hour")]
    private static partial void Failed(ILogger logger, Exception exception);
}
