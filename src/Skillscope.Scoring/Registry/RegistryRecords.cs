namespace Skillscope.Scoring.Registry;

/// <summary>An immutable registered version: where its verified package lives and what it hashes to.</summary>
public sealed record ModelVersionRecord(
    string Name, string Version, string Sha256, string ModelSha256, string StorePath, string MetadataJson, DateTime RegisteredAt, string RegisteredBy);

/// <summary>A named pointer (<c>production</c>, <c>canary</c>, …) at a version; <see cref="PreviousVersion"/> is where rollback returns.</summary>
public sealed record AliasRecord(string Name, string Alias, string Version, string? PreviousVersion, DateTime UpdatedAt, string UpdatedBy);

/// <summary>One version's share of a model's traffic, in whole percent.</summary>
public sealed record SplitShare(string Version, int Percent);

/// <summary>A model's traffic split: shares summing to 100, assigned sticky by entity id, and what guards its candidates.</summary>
public sealed record TrafficSplit(string Name, IReadOnlyList<SplitShare> Shares)
{
    /// <summary>When the split goes back to production by itself (none: never).</summary>
    public SplitGuard? Guard { get; init; }
}

/// <summary>
/// A canary's guard: the split is set back to production (audited, and an alert fires) when a candidate
/// version fails more than <see cref="MaxErrorRate"/> of the rows it scores (beyond the interval of its count),
/// or its AUC on reported outcomes is below production's by more than <see cref="MinAucDelta"/> (the whole
/// 95 % interval of the difference below it), once each has <see cref="MinOutcomes"/> outcomes.
/// </summary>
public sealed record SplitGuard(double? MaxErrorRate, double? MinAucDelta, int MinOutcomes = SplitGuard.DefaultMinOutcomes)
{
    public const int DefaultMinOutcomes = 200;
}

/// <summary>
/// A candidate version scoring a model's traffic in the shadow: <see cref="Percent"/> of the rows any
/// served version of <see cref="Name"/> scores are scored again by <see cref="Version"/> after the answer,
/// which never sees the candidate's output. <see cref="Cuts"/> are the score's band boundaries (ascending):
/// a row whose band differs between the two counts as changed (one cut, 0.5 by default: the decision).
/// </summary>
public sealed record ShadowDeployment(string Name, string Version, int Percent, IReadOnlyList<double> Cuts);

/// <summary>One change to the registry or its keys: who, when, what, and the value before and after.</summary>
public sealed record AuditEntry(long Id, DateTime At, string Actor, string Action, string Subject, string? Before, string? After);

/// <summary>
/// An API key as stored: only its SHA-256 hash, never the key. A key may be bound to one tenant
/// (<see cref="DistrictId"/>) and, for a teacher's key, to that person (<see cref="TeacherId"/>): it then
/// reaches only their students.
/// </summary>
public sealed record ApiKeyRecord(string Id, string Name, string Role, string KeyHash, DateTime CreatedAt, DateTime? RevokedAt)
{
    public string? TeacherId { get; init; }

    public string? DistrictId { get; init; }

    /// <summary>When the key stops working by itself; null for never.</summary>
    public DateTime? ExpiresAt { get; init; }

    /// <summary>Requests the key made, as counted by the replicas (each adds its count every few seconds).</summary>
    public long Requests { get; init; }

    public DateTime? LastUsedAt { get; init; }

    public bool IsExpired(DateTime now) => ExpiresAt is { } expires && expires <= now;
}

/// <summary>Requests one replica counted for a key since it last reported.</summary>
public sealed record ApiKeyUse(string KeyId, long Requests, DateTime LastUsedAt);

/// <summary>A package's zipped bytes as the database keeps them, with the SHA-256 of those bytes, checked before they are unpacked.</summary>
public sealed record PackageBytes(byte[] Zip, string ZipSha256);
