namespace Skillscope.Scoring.Registry;

/// <summary>
/// Durable registry state: versions, aliases, traffic splits, API keys and the audit log. Every change
/// is written together with its audit entry in one transaction and bumps <see cref="GetRevisionAsync"/>,
/// which hosts poll to pick up changes made by other processes.
/// </summary>
public interface IRegistryStore
{
    /// <summary>A short description for health output (e.g. <c>sqlite</c>, <c>postgresql</c>).</summary>
    string Kind { get; }

    /// <summary>Creates or upgrades the tables; safe to call from several processes at once.</summary>
    Task MigrateAsync(CancellationToken cancellation = default);

    Task<bool> PingAsync(CancellationToken cancellation = default);

    Task<long> GetRevisionAsync(CancellationToken cancellation = default);

    /// <summary>Adds a version; false when that name and version exist already (versions are immutable).</summary>
    Task<bool> AddVersionAsync(ModelVersionRecord version, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>
    /// Keeps a package's zipped bytes under its SHA-256 (a no-op when they are kept already), so that any
    /// process on the same database can load it without sharing a disk.
    /// </summary>
    Task PutPackageAsync(string sha256, byte[] zip, CancellationToken cancellation = default);

    /// <summary>The zipped bytes kept under <paramref name="sha256"/>, or null (a version registered before packages were kept in the database).</summary>
    Task<PackageBytes?> GetPackageAsync(string sha256, CancellationToken cancellation = default);

    Task<ModelVersionRecord?> GetVersionAsync(string name, string version, CancellationToken cancellation = default);

    Task<IReadOnlyList<ModelVersionRecord>> ListVersionsAsync(string? name = null, CancellationToken cancellation = default);

    Task<IReadOnlyList<AliasRecord>> ListAliasesAsync(string? name = null, CancellationToken cancellation = default);

    /// <summary>Points an alias at a version (creating it), writing the audit entry with it.</summary>
    Task SetAliasAsync(AliasRecord record, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>Points an alias at <paramref name="record"/>'s version only if it still points at <paramref name="from"/>; false (nothing changed) when it moved meanwhile.</summary>
    Task<bool> MoveAliasAsync(AliasRecord record, string from, AuditEntry audit, CancellationToken cancellation = default);

    Task<IReadOnlyList<TrafficSplit>> ListSplitsAsync(CancellationToken cancellation = default);

    /// <summary>Replaces a model's split and its guard; an empty list removes both.</summary>
    Task SetSplitAsync(string name, IReadOnlyList<SplitShare> shares, SplitGuard? guard, AuditEntry audit, CancellationToken cancellation = default);

    Task<IReadOnlyList<ShadowDeployment>> ListShadowsAsync(CancellationToken cancellation = default);

    /// <summary>Sets a model's shadow (replacing any), or removes it when <paramref name="shadow"/> is null.</summary>
    Task SetShadowAsync(string name, ShadowDeployment? shadow, AuditEntry audit, CancellationToken cancellation = default);

    Task AddApiKeyAsync(ApiKeyRecord key, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>The key with this hash, if it exists and is not revoked (it may have expired).</summary>
    Task<ApiKeyRecord?> FindApiKeyAsync(string keyHash, CancellationToken cancellation = default);

    /// <summary>Every key, revoked and expired ones too, newest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken cancellation = default);

    /// <summary>Revokes a key; false when there is no such key or it is already revoked.</summary>
    Task<bool> RevokeApiKeyAsync(string id, DateTime at, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>Stores <paramref name="replacement"/> and revokes key <paramref name="id"/> in one transaction; false (and nothing stored) when that key is not active.</summary>
    Task<bool> ReplaceApiKeyAsync(string id, ApiKeyRecord replacement, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>Adds requests counted by one replica to the keys' totals and moves their last use forward.</summary>
    Task RecordApiKeyUseAsync(IReadOnlyList<ApiKeyUse> uses, CancellationToken cancellation = default);

    /// <summary>The newest audit entries first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit = 100, CancellationToken cancellation = default);

    /// <summary>The audit entries of an alias's changes (actions <c>alias.*</c>) about <paramref name="subject"/> (<c>model:alias</c>), oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAliasHistoryAsync(string subject, CancellationToken cancellation = default);
}
