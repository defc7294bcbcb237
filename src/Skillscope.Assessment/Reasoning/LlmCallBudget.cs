using System.Threading.RateLimiting;

namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// Calls allowed per minute and per hour, as two token buckets shared by everything in this process
/// (one machine; replicas sharing a database share one budget there instead). An empty bucket means
/// "use the template now", never "wait": an assessment is not held up by the LLM's budget.
/// </summary>
public sealed class LlmCallBudget : ILlmCallBudget, IDisposable
{
    private readonly TokenBucketRateLimiter _minute;
    private readonly TokenBucketRateLimiter _hour;

    public LlmCallBudget(int perMinute, int perHour)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perMinute, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perHour, 1);

        // Refilled a little at a time (per second, per minute) rather than all at once at the top of the period.
        _minute = Bucket(perMinute, TimeSpan.FromSeconds(1), 60);
        _hour = Bucket(perHour, TimeSpan.FromMinutes(1), 60);
    }

    /// <summary>Takes one call from both buckets; false when either is empty.</summary>
    public bool TryTake()
    {
        using var hour = _hour.AttemptAcquire(1);
        if (!hour.IsAcquired)
        {
            return false;
        }

        // A call refused by the minute bucket has spent its hour token: the hour budget errs on the safe side.
        using var minute = _minute.AttemptAcquire(1);
        return minute.IsAcquired;
    }

    public ValueTask<bool> TryTakeAsync(CancellationToken cancellation = default) => ValueTask.FromResult(TryTake());

    public void Dispose()
    {
        _minute.Dispose();
        _hour.Dispose();
    }

    private static TokenBucketRateLimiter Bucket(int perPeriod, TimeSpan refillEvery, int refillsPerPeriod) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = perPeriod,
        TokensPerPeriod = Math.Max(1, (perPeriod + refillsPerPeriod - 1) / refillsPerPeriod),
        ReplenishmentPeriod = refillEvery,
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}
