using System.Security.Cryptography;
using Skillscope.Scoring.Registry;

namespace Skillscope.Server.Security;

/// <summary>
/// API keys: 256 random bits shown once at creation; only their SHA-256 is stored, so a leaked database
/// does not leak keys. (A fast hash is right here: the keys are random, not guessable passwords.)
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "sk_";

    /// <summary>Creates and stores a key; returns the key itself, which is not stored anywhere.</summary>
    /// <remarks>
    /// A teacher's key needs the roster teacher it belongs to (<paramref name="teacherId"/>) and reaches only their
    /// classes; any key may be bound to a district (<paramref name="districtId"/>). The caller checks that both exist.
    /// </remarks>
    public static async Task<(ApiKeyRecord Record, string Key)> CreateAsync(IRegistryStore store, string role, string name, string actor,
        string? teacherId = null, string? districtId = null, TimeSpan? lifetime = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!Roles.All.Contains(role))
        {
            throw new RegistryException("invalid_role", $"role \"{role}\" is unknown; use {string.Join(", ", Roles.All)}");
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new RegistryException("invalid_name", "a key needs a name of 1 to 100 characters");
        }

        if ((role == Roles.Teacher) != !string.IsNullOrWhiteSpace(teacherId))
        {
            throw new RegistryException("invalid_binding", role == Roles.Teacher ? "a teacher's key needs the roster teacher it belongs to" : "only a teacher's key belongs to a teacher");
        }

        if (districtId is not null && string.IsNullOrWhiteSpace(districtId))
        {
            throw new RegistryException("invalid_binding", "a district binding needs the district's id");
        }

        if (lifetime is { } span && (span < TimeSpan.FromMinutes(1) || span > MaxLifetime))
        {
            throw new RegistryException("invalid_expiry", $"a key's lifetime is from a minute to {MaxLifetime.TotalDays:0} days");
        }

        var (record, key) = NewKey(name, role, teacherId, districtId, lifetime);
        await store.AddApiKeyAsync(record, new AuditEntry(0, record.CreatedAt, actor, "key.create", $"key:{record.Id}", null, Describe(record)), cancellation).ConfigureAwait(false);
        return (record, key);
    }

    /// <summary>Revokes a key: every replica refuses it within a second. False when there is no such active key.</summary>
    public static Task<bool> RevokeAsync(IRegistryStore store, string id, string actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = Now();
        return store.RevokeApiKeyAsync(id, now, new AuditEntry(0, now, actor, "key.revoke", $"key:{id}", null, null), cancellation);
    }

    /// <summary>
    /// A new key with the same name, role, binding and lifetime as key <paramref name="id"/>, which is revoked
    /// in the same transaction; null when that key is not active (unknown, revoked or expired).
    /// </summary>
    public static async Task<(ApiKeyRecord Record, string Key)?> RotateAsync(IRegistryStore store, string id, string actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var old = (await store.ListApiKeysAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(k => k.Id == id);
        if (old is null || old.RevokedAt is not null || old.IsExpired(DateTime.UtcNow))
        {
            return null;
        }

        var (record, key) = NewKey(old.Name, old.Role, old.TeacherId, old.DistrictId, old.ExpiresAt - old.CreatedAt);
        var audit = new AuditEntry(0, record.CreatedAt, actor, "key.rotate", $"key:{old.Id}", null, $"key:{record.Id} {Describe(record)}");
        return await store.ReplaceApiKeyAsync(old.Id, record, audit, cancellation).ConfigureAwait(false) ? (record, key) : null;
    }

    /// <summary>The longest lifetime a key may be given (and what "--expires-in" accepts).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3650);

    /// <summary>A lifetime written as a number and a unit: <c>90d</c>, <c>12h</c>, <c>30m</c> or <c>2w</c>; null when it is not one.</summary>
    public static TimeSpan? ParseLifetime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() is not { Length: >= 2 and <= 8 } trimmed
            || !int.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count)
            || count == 0)
        {
            return null;
        }

        TimeSpan? span = char.ToLowerInvariant(trimmed[^1]) switch
        {
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            'w' => TimeSpan.FromDays(7.0 * count),
            _ => null,
        };
        return span <= MaxLifetime ? span : null;
    }

    private static (ApiKeyRecord Record, string Key) NewKey(string name, string role, string? teacherId, string? districtId, TimeSpan? lifetime)
    {
        string key = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = Now();
        var record = new ApiKeyRecord(Guid.NewGuid().ToString("N")[..16], name, role, Hash(key), now, null)
        {
            TeacherId = teacherId,
            DistrictId = districtId,
            ExpiresAt = lifetime is { } span ? now + span : null,
        };
        return (record, key);
    }

    private static string Describe(ApiKeyRecord key) =>
        $"{key.Name} ({key.Role}" + (key.TeacherId is null ? "" : $", teacher {key.TeacherId}") + (key.DistrictId is null ? "" : $", district {key.DistrictId}")
        + (key.ExpiresAt is { } expires ? $", expires {expires:yyyy-MM-dd HH:mm}Z" : "") + ")";

    // Whole microseconds: what both databases store exactly.
    private static DateTime Now()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
}
