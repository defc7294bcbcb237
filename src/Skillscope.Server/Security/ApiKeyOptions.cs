using Skillscope.Server.Hosting;

namespace Skillscope.Server.Security;

/// <summary><c>ApiKeys</c>: how long a replica trusts a key lookup before asking the database again (a revoked key stops within it).</summary>
internal sealed class ApiKeyOptions : ISettings
{
    public const string Section = "ApiKeys";

    public int CacheSeconds { get; set; } = 1;

    public string? Problem() => CacheSeconds is < 1 or > 3600 ? $"{Section}:CacheSeconds must be between 1 and 3600 (it is {CacheSeconds})" : null;
}
