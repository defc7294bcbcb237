using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Skillscope.Assessment.Roster;

namespace Skillscope.Server.Dashboard;

/// <summary>
/// Dashboard sessions that can be taken back. A cookie names its session and the account's security
/// stamp at sign-in; every request checks both (cached for <see cref="CheckEvery"/>), so sign-out ends that
/// cookie even if it was copied, and a password reset, a new role or scope, disabling the account or
/// "sign out everywhere" ends all of its cookies on every replica. A session also ends
/// <see cref="Lifetime"/> after sign-in however active it is (<c>Dashboard:SessionHours</c>, default 12).
/// </summary>
public sealed class DashboardSessions(IUserStore users, IMemoryCache cache, TimeProvider time, IOptions<DashboardOptions> options)
{
    public const string SessionClaim = "skillscope:session";
    public const string StampClaim = "skillscope:stamp";
    public const string StartedClaim = "skillscope:started";

    /// <summary>How long a session's state is trusted without asking the database again.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

    public TimeSpan Lifetime { get; } = TimeSpan.FromHours(options.Value.SessionHours);

    /// <summary>Records a new session of <paramref name="user"/> and returns the principal its cookie carries.</summary>
    public async Task<ClaimsPrincipal> StartAsync(DashboardUser user, string scheme, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(user);
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow();
        // Rows of sessions long over are dropped as new ones start (a day past the lifetime: nothing reads them).
        await users.StartSessionAsync(id, user.Username, now.UtcDateTime, (now - Lifetime - TimeSpan.FromDays(1)).UtcDateTime, cancellation).ConfigureAwait(false);
        var principal = DashboardAccounts.Principal(user, scheme);
        ((ClaimsIdentity)principal.Identity!).AddClaims(
        [
            new Claim(SessionClaim, id),
            new Claim(StampClaim, user.SecurityStamp),
            new Claim(StartedClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ]);
        return principal;
    }

    /// <summary>Ends the session <paramref name="user"/>'s cookie names (sign-out).</summary>
    public async Task EndAsync(ClaimsPrincipal user, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.FindFirstValue(SessionClaim) is { } id)
        {
            await users.EndSessionAsync(id, time.GetUtcNow().UtcDateTime, cancellation).ConfigureAwait(false);
            cache.Remove(Key(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", id));
        }
    }

    /// <summary>Whether a cookie's session is still on: started within the lifetime, not ended, its account enabled and unchanged since.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(user);
        string? username = user.FindFirstValue(ClaimTypes.NameIdentifier), id = user.FindFirstValue(SessionClaim), stamp = user.FindFirstValue(StampClaim);
        if (username is null || id is null || stamp is null
            || !long.TryParse(user.FindFirstValue(StartedClaim), NumberStyles.None, CultureInfo.InvariantCulture, out long started)
            || time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Min(started, DateTimeOffset.MaxValue.ToUnixTimeSeconds())) > Lifetime)
        {
            return false;
        }

        var state = await cache.GetOrCreateAsync(Key(username, id), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CheckEvery;
            entry.Size = 1;
            return users.SessionStateAsync(username, id, cancellation);
        }).ConfigureAwait(false);
        return state is { AccountDisabled: false, SessionEnded: false } && string.Equals(state.SecurityStamp, stamp, StringComparison.Ordinal);
    }

    private static string Key(string username, string session) => $"dashboard-session:{session}:{username}";
}
