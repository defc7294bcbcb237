using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Skillscope.Server.Hosting;
using StackExchange.Redis;

namespace Skillscope.Server.Http;

/// <summary>
/// Rate limits: API calls per key (<c>RateLimit</c>), sign-in tries per address; per replica, or for the
/// whole cluster through Redis (<c>Redis:Configuration</c>).
/// </summary>
internal static class RateLimits
{
    // Routing has run: every spelling that reaches the sign-in endpoint is that endpoint here.
    private static bool IsSignIn(HttpContext context) => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText == "/login";

    private static RateLimitPartition<string> Bucket(HttpContext context, IConnectionMultiplexer? redis, string key, TokenBucketRateLimiterOptions options) =>
        redis is null
            ? RateLimitPartition.GetTokenBucketLimiter(key, _ => options)
            : RateLimitPartition.Get(key, partition => new RedisTokenBucket(redis.GetDatabase(), partition, options,
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Skillscope.RateLimits")));

    public static void AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<RateLimitOptions>(RateLimitOptions.Section);

        // With Redis, a key's bucket (and an address's sign-in tries) is one for every replica; without it,
        // each replica keeps its own.
        IConnectionMultiplexer? redis = null;
        if (builder.Configuration.GetValue<string>("Redis:Configuration") is { Length: > 0 } redisConfiguration)
        {
            // Started even while Redis is away (it connects when it can; buckets fall back meanwhile).
            var redisOptions = ConfigurationOptions.Parse(redisConfiguration);
            redisOptions.AbortOnConnectFail = false;

            // A request must not wait for Redis: while it is away, commands fail at once (not after the
            // default 5 s in a backlog) and the replica's own bucket decides.
            redisOptions.BacklogPolicy = BacklogPolicy.FailFast;
            redisOptions.AsyncTimeout = Math.Min(redisOptions.AsyncTimeout, 250);
            redisOptions.ConnectTimeout = Math.Min(redisOptions.ConnectTimeout, 1000);
            redis = ConnectionMultiplexer.Connect(redisOptions);
            builder.Services.AddSingleton(_ => redis);
        }

        builder.Services.AddRateLimiter(limits =>
        {
            // Every API call counts against its key's bucket, the CRM contract's too (health, metrics and the OpenAPI document do not).
            limits.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                // By the endpoint the request reached, not its path: "/LOGIN" and "/login/" reach it too.
                HttpMethods.IsPost(context.Request.Method) && IsSignIn(context)
                    // Password guessing: ten tries per minute per address (a burst of ten, one more every six seconds).
                    ? Bucket(context, redis, "login:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = 10, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(6), QueueLimit = 0, AutoReplenishment = true,
                    })
                : !context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && !context.Request.Path.StartsWithSegments("/ai", StringComparison.Ordinal)
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : Bucket(context, redis,
                        context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                        PerKey(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value)));
            limits.OnRejected = async (rejected, cancellation) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Of(context, 429, "rate_limited", "this API key sent too many requests; retry after the time in Retry-After").ExecuteAsync(context).ConfigureAwait(false);
            };
        });
    }

    private static TokenBucketRateLimiterOptions PerKey(RateLimitOptions settings) => new()
    {
        TokenLimit = settings.BurstOrDefault,
        TokensPerPeriod = settings.PermitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
