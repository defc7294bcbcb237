using Skillscope.Scoring.Registry;
using Skillscope.Server.Security;
using Xunit;

namespace Skillscope.Server.Tests.Security;

/// <summary>What a replica may trust about an API key while the database cannot be asked.</summary>
public sealed class KnownApiKeysTests
{
    private static readonly ApiKeyRecord Key = new("k1", "ops", "admin", "hash-1", DateTime.UnixEpoch, null);

    [Fact]
    public void A_key_is_trusted_for_the_window_after_the_database_confirmed_it_and_not_after()
    {
        var time = new SettableTime();
        var known = new KnownApiKeys(time);
        known.Answered("hash-1", Key);

        time.Advance(KnownApiKeys.Window - TimeSpan.FromSeconds(1));
        Assert.Equal(Key, known.Recent("hash-1"));

        // Asking again during the outage does not move the window: only the database's answer does.
        _ = known.Recent("hash-1");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(known.Recent("hash-1"));
    }

    [Fact]
    public void A_key_the_database_no_longer_knows_is_forgotten_at_once()
    {
        var known = new KnownApiKeys(new SettableTime());
        known.Answered("hash-1", Key);
        known.Answered("hash-1", null);
        Assert.Null(known.Recent("hash-1"));

        known.Answered("hash-1", Key);
        known.Clear();
        Assert.Null(known.Recent("hash-1"));
    }

    private sealed class SettableTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
