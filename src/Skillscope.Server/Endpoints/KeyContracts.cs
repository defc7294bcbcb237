namespace Skillscope.Server.Endpoints;

/// <summary>Body of <c>POST /api/v1/keys</c>: a name and a role; a teacher or district to bind it to; when it expires (e.g. <c>90d</c>).</summary>
internal sealed record KeyCreateBody(string Name, string Role, string? TeacherId, string? DistrictId, string? ExpiresIn);

/// <summary>What a key looks like from outside: everything but its hash.</summary>
internal sealed record KeyView(
    string Id, string Name, string Role, string? TeacherId, string? DistrictId, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt,
    string State, long Requests, DateTime? LastUsedAt);

/// <summary>Every key, revoked and expired ones included.</summary>
internal sealed record KeyListResponse(string RequestId, IReadOnlyList<KeyView> Keys);

/// <summary>A new key: the secret is in <see cref="Key"/>, shown this once; <see cref="Replaces"/> names the key a rotation revoked.</summary>
internal sealed record KeyCreatedResponse(string RequestId, string Key, bool ShownOnce, string? Replaces, KeyView Record);
