using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// A browser test: needs Debian's <c>/usr/bin/chromium</c> (never a downloaded browser). Without it the
/// test is skipped locally, but runs — and fails, saying why — when <c>CI=true</c> (CI installs it).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresChromiumFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public RequiresChromiumFactAttribute()
    {
        if (!File.Exists(Chromium) && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"install chromium ({Chromium}) to run the browser tests";
        }
    }
}
