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
        string? teacherId = null, string? districtId = null, CancellationToken cancellation = default)
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

        string key = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTime.UtcNow;
        var record = new ApiKeyRecord(Guid.NewGuid().ToString("N")[..16], name, role, Hash(key), new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc), null)
        {
            TeacherId = teacherId,
            DistrictId = districtId,
        };
        string bound = (teacherId is null ? "" : $", teacher {teacherId}") + (districtId is null ? "" : $", district {districtId}");
        await store.AddApiKeyAsync(record, new AuditEntry(0, record.CreatedAt, actor, "key.create", $"key:{record.Id}", null, $"{name} ({role}{bound})"), cancellation).ConfigureAwait(false);
        return (record, key);
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
}
