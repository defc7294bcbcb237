namespace Skillscope.Testing;

/// <summary>
/// The real time, shifted to <paramref name="start"/> (now when none is given) and moved on by hand: a test makes a
/// scheduled minute or a stage's hours pass when it says, while timers and delays run in real time.
/// </summary>
public sealed class MovableClock(DateTimeOffset? start = null) : TimeProvider
{
    private TimeSpan _offset = start is { } at ? at - DateTimeOffset.UtcNow : TimeSpan.Zero;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + _offset;

    public void Advance(TimeSpan by) => _offset += by;
}
