using System.Reflection;
using Skillscope.Testing;
using Xunit.Sdk;

namespace Skillscope.Storage.Tests;

/// <summary>
/// The PostgreSQL row of a store theory (next to <c>[InlineData("sqlite")]</c>): runs when
/// <c>SKILLSCOPE_TEST_POSTGRES</c> names a server; without one it is skipped locally, but runs (and
/// fails, saying why) when <c>CI=true</c>, so CI can never pass without exercising PostgreSQL.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresDataAttribute : DataAttribute
{
    public PostgresDataAttribute()
    {
        if (TestPostgres.Skipped)
        {
            Skip = "set SKILLSCOPE_TEST_POSTGRES to run against PostgreSQL";
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["postgresql"]];
}
