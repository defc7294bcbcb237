using Xunit;

namespace Skillscope.Testing;

/// <summary>A test that needs a PostgreSQL server (<see cref="TestPostgres"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresPostgresFactAttribute : FactAttribute
{
    public RequiresPostgresFactAttribute()
    {
        if (TestPostgres.Skipped)
        {
            Skip = "set SKILLSCOPE_TEST_POSTGRES to run the tests that need PostgreSQL";
        }
    }
}
