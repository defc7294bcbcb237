using System.Diagnostics;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Skillscope.Server.Http;

/// <summary>
/// One token bucket in Redis that every replica takes from, so a key's limit holds for the cluster,
/// not per replica. The bucket is kept as its theoretical arrival time (GCRA) and updated by one script
/// on Redis's clock, so replicas with drifting clocks still agree. When Redis cannot be reached the
/// replica's own bucket decides (the limit is then per replica again) rather than refusing or letting
/// everything through.
/// </summary>
internal sealed partial class RedisTokenBucket(IDatabase redis, string key, TokenBucketRateLimiterOptions options, ILogger logger) : RateLimiter
{
    // ARGV: permits per second, burst, permits asked for. Returns {1, 0} when taken, {0, ms to wait} when not.
    private const string Script = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local interval = 1000000 / tonumber(ARGV[1])
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local next_tat = tat + tonumber(ARGV[3]) * interval
        local allowed_at = next_tat - tonumber(ARGV[2]) * interval
        if allowed_at > now then return {0, math.ceil((allowed_at - now) / 1000)} end
        redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1000)
        return {1, 0}
        """;

    private static readonly RateLimitLease Undecided = new Lease(false, null);
    private static readonly RateLimitLease Taken = new Lease(true, null);

    private readonly TokenBucketRateLimiter _local = new(options);
    private long _lastUsed = Stopwatch.GetTimestamp();
    private int _unreachable;

    // Idle for as long as nobody asked: the partitioned limiter drops buckets idle for a while.
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => _local.GetStatistics();

    // The rate-limiting middleware asks synchronously first and, when that is not a yes, asynchronously:
    // the answer comes from Redis, so it is always given asynchronously.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Undecided;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        if (!redis.Multiplexer.IsConnected)
        {
            return Fallback(permitCount, "not connected");
        }

        try
        {
            var answer = (RedisResult[])(await redis.ScriptEvaluateAsync(Script, [new RedisKey("skillscope:rate:" + key)],
                [options.TokensPerPeriod / options.ReplenishmentPeriod.TotalSeconds, options.TokenLimit, permitCount]).ConfigureAwait(false))!;
            Interlocked.Exchange(ref _unreachable, 0);
            return (long)answer[0] == 1 ? Taken : new Lease(false, TimeSpan.FromMilliseconds((long)answer[1]));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return Fallback(permitCount, exception.Message);
        }
    }

    private RateLimitLease Fallback(int permitCount, string reason)
    {
        // Said once per bucket when Redis goes away, not at every request.
        if (Interlocked.Exchange(ref _unreachable, 1) == 0)
        {
            LogUnreachable(logger, reason);
        }

        return _local.AttemptAcquire(permitCount);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _local.Dispose();
        }

        base.Dispose(disposing);
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Redis unreachable for rate limits ({Reason}); this replica's own bucket decides meanwhile")]
    private static partial void LogUnreachable(ILogger logger, string reason);

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
