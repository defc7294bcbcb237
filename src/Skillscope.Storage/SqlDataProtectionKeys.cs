using Dapper;

namespace Skillscope.Storage;

/// <summary>
/// The key ring that protects dashboard cookies and antiforgery tokens, as rows: every replica reads
/// and adds keys here, so a cookie one replica issued is accepted by all of them. Keys are XML
/// documents the host's data protection writes; this store neither reads nor changes them.
/// </summary>
public sealed class SqlDataProtectionKeys
{
    private readonly SqlDialect _dialect;

    internal SqlDataProtectionKeys(SqlDialect dialect)
    {
        _dialect = dialect;
    }

    /// <summary>Every stored key document. Synchronous because the framework's key repository contract is.</summary>
    public IReadOnlyList<string> All()
    {
        using var connection = _dialect.Open();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY stored_at, name").ToList();
    }

    /// <summary>Adds a key document under its name; a name that exists already keeps its first document (keys never change).</summary>
    public void Add(string name, string xml)
    {
        using var connection = _dialect.Open();
        connection.Execute("INSERT INTO data_protection_keys (name, xml, stored_at) VALUES (@name, @xml, @at) ON CONFLICT (name) DO NOTHING",
            new { name, xml, at = DateTime.UtcNow });
    }
}
