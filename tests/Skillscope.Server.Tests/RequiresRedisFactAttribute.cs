using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>
/// A test that needs Debian's redis-server: skipped locally without it, but run — and failing, saying
/// why — when <c>CI=true</c> (.ci/run installs it).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresRedisFactAttribute : FactAttribute
{
    public RequiresRedisFactAttribute()
    {
        if (!File.Exists(RedisProcess.Binary) && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"install redis-server ({RedisProcess.Binary}) to run the cluster-wide rate limit tests";
        }
    }
}
