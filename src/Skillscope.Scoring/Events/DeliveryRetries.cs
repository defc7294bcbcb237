namespace Skillscope.Scoring.Events;

/// <summary>
/// How patiently a webhook delivery is tried, for alerts and events alike: after a failed attempt it waits
/// <see cref="FirstRetry"/>, then three times as long each time, up to an hour, until <see cref="GiveUpAfter"/>
/// has passed since it was made (then it is marked failed and stays in the delivery log).
/// </summary>
public sealed class DeliveryRetries(TimeSpan? firstRetry = null)
{
    /// <summary>The pause after the first failed attempt, unless configured otherwise.</summary>
    public static readonly TimeSpan DefaultFirstRetry = TimeSpan.FromSeconds(10);

    /// <summary>How long a delivery is tried before it is marked failed.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);

    /// <summary>How long a claimed delivery is held before another replica may try it (the claimant died mid-post).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public TimeSpan FirstRetry { get; } = firstRetry ?? DefaultFirstRetry;

    /// <summary>The pause after the <paramref name="attempts"/>th failed attempt.</summary>
    public TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, FirstRetry.TotalSeconds * Math.Pow(3, Math.Min(20, Math.Max(0, attempts - 1)))));

    /// <summary>The fewest attempts a delivery gets before it is given up, however long it waited behind another.</summary>
    public const int MinimumAttempts = 5;

    /// <summary>
    /// True when a delivery made at <paramref name="createdAt"/> whose <paramref name="attempts"/>th attempt just failed
    /// is not tried again: after <see cref="GiveUpAfter"/>, and only once it has had <see cref="MinimumAttempts"/>
    /// (one that queued behind a long outage gets its own tries, not one).
    /// </summary>
    public static bool GivesUp(DateTime createdAt, int attempts, DateTime now) => now - createdAt >= GiveUpAfter && attempts >= MinimumAttempts;
}
