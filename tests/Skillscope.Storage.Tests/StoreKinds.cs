using System.Reflection;
using Xunit.Sdk;

namespace Skillscope.Storage.Tests;

/// <summary>
/// Runs a theory once per database: SQLite always; PostgreSQL when <c>SKILLSCOPE_TEST_POSTGRES</c>
/// names a server. Without one it is skipped locally, but runs (and fails, saying why) when
/// <c>CI=true</c>, so CI can never pass without exercising PostgreSQL.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreKindsAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["sqlite"], ["postgresql"]];
}

/// <summary>Only the PostgreSQL row, skipped when no server is configured outside CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresOnlyAttribute : DataAttribute
{
    public PostgresOnlyAttribute()
    {
        if (TestStores.PostgresConnectionString is null && !TestStores.InCi)
        {
            Skip = "set SKILLSCOPE_TEST_POSTGRES to run against PostgreSQL";
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["postgresql"]];
}
