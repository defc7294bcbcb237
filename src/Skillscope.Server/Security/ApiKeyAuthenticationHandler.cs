using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Http;

namespace Skillscope.Server.Security;

/// <summary>
/// <c>Authorization: Bearer KEY</c>. Lookups are cached for a second by key hash, so scoring does not hit the
/// database per request and a revoked key stops working within that second on every replica (sooner on
/// PostgreSQL, whose change notice clears the cache); an expired key is refused from its expiry on. While
/// the database cannot be reached, a key this replica verified in the last ten minutes still works
/// (<see cref="KnownApiKeys"/>). Each accepted request is counted for the key (<see cref="ApiKeyUsage"/>).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IRegistryStore store, IMemoryCache cache, KnownApiKeys known,
    ApiKeyUsage usage, TimeProvider time, IOptions<ApiKeyOptions> settings)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    /// <summary>At most this many key lookups are remembered; beyond it, lookups go to the database.</summary>
    public const int CacheEntries = 10_000;

    private const string ExpiredItem = "skillscope:expired-key";

    // How long a lookup is trusted without asking the database again (ApiKeys:CacheSeconds, default 1):
    // one indexed read per key and second is little, and a revoked key must stop within a second.
    private readonly TimeSpan _cacheFor = TimeSpan.FromSeconds(settings.Value.CacheSeconds);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 200)
        {
            return AuthenticateResult.Fail("the Authorization header must be \"Bearer KEY\"");
        }

        string hash = ApiKeys.Hash(header[7..].Trim());
        ApiKeyRecord? record;
        try
        {
            record = await cache.GetOrCreateAsync(hash, async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = _cacheFor;
                entry.Size = 1;

                // Remembered for an outage only when the database itself said so: a key it no longer
                // knows (revoked) is forgotten at once.
                var answer = await store.FindApiKeyAsync(hash, Context.RequestAborted).ConfigureAwait(false);
                known.Answered(hash, answer);
                return answer;
            }).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException exception) when (exception.IsTransient && known.Recent(hash) is { } recent)
        {
            // The database cannot be asked: a key verified here lately goes on working (scoring needs no database).
            record = recent;
        }

        if (record is null)
        {
            return AuthenticateResult.Fail("the API key is not valid");
        }

        if (record.IsExpired(time.GetUtcNow().UtcDateTime))
        {
            Context.Items[ExpiredItem] = true;
            return AuthenticateResult.Fail("the API key has expired");
        }

        usage.Record(record.Id);

        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, record.Id), new(ClaimTypes.Name, record.Name), new(ClaimTypes.Role, record.Role) };
        ScopeClaims.AddTo(claims, record.TeacherId, record.DistrictId);
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        bool presented = !string.IsNullOrEmpty(Request.Headers.Authorization);
        Response.Headers.WWWAuthenticate = "Bearer";
        if (Context.Items.ContainsKey(ExpiredItem))
        {
            return Problems.Of(Context, 401, "expired_api_key", "the API key has expired; ask an admin for a new one (skillscope keys rotate)").ExecuteAsync(Context);
        }

        return Problems.Of(Context, 401, presented ? "invalid_api_key" : "missing_api_key",
            presented ? "the API key is not valid" : "send an API key as \"Authorization: Bearer KEY\"").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Of(Context, 403, "forbidden", ScopeClaims.IsUnbound(Context.User) ? "this API key's role may not do this"
            : "this API key's role may not do this, or it is bound to a district or a teacher and this concerns every tenant").ExecuteAsync(Context);
}
