namespace Skillscope.Bench;

/// <summary>A clock the monitoring benchmarks set by hand, so counts land in the hours and minutes they stand for.</summary>
internal sealed class FixedClock(DateTime now) : TimeProvider
{
    public DateTime Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => new(Now, TimeSpan.Zero);
}
