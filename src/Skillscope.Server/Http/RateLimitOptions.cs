using Skillscope.Server.Hosting;

namespace Skillscope.Server.Http;

/// <summary><c>RateLimit</c>: API requests per key and second, and the burst a key may spend at once (default twice the rate).</summary>
internal sealed class RateLimitOptions : ISettings
{
    public const string Section = "RateLimit";

    public int PermitsPerSecond { get; set; } = 500;

    public int? Burst { get; set; }

    public int BurstOrDefault => Burst ?? (int)Math.Min(int.MaxValue, 2L * PermitsPerSecond);

    public string? Problem() =>
        PermitsPerSecond < 1 ? $"{Section}:PermitsPerSecond must be 1 or more (it is {PermitsPerSecond})"
        : Burst is < 1 ? $"{Section}:Burst must be 1 or more (it is {Burst})"
        : null;
}
