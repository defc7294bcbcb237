using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>
/// A test that needs a PostgreSQL server (<c>SKILLSCOPE_TEST_POSTGRES</c>, an admin connection string):
/// skipped locally without one, but run — and failing, saying why — when <c>CI=true</c> (.ci/run starts one).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresPostgresFactAttribute : FactAttribute
{
    public RequiresPostgresFactAttribute()
    {
        if (ConnectionString is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "set SKILLSCOPE_TEST_POSTGRES to run the tests that need PostgreSQL";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable("SKILLSCOPE_TEST_POSTGRES") is { Length: > 0 } value ? value : null;
}
