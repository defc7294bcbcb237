namespace Skillscope.Testing;

/// <summary>
/// The PostgreSQL server tests use: an admin connection string in <c>SKILLSCOPE_TEST_POSTGRES</c>. Without
/// one, tests that need it are skipped locally but run — and fail, saying why — under <c>CI=true</c>, so CI
/// can never pass without exercising PostgreSQL (.ci/run starts a throwaway cluster).
/// </summary>
public static class TestPostgres
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("SKILLSCOPE_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <summary>Whether a test that needs PostgreSQL is skipped here: no server named, and not in CI.</summary>
    public static bool Skipped => ConnectionString is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The admin connection string, or why there is none.</summary>
    public static string Required => ConnectionString
        ?? throw new InvalidOperationException("SKILLSCOPE_TEST_POSTGRES is not set: under CI=true, .ci/run must start the PostgreSQL cluster");
}
