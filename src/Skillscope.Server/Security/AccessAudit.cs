using Skillscope.Assessment.Assessing;
using Skillscope.Scoring.Registry;

namespace Skillscope.Server.Security;

/// <summary>
/// Every read of a student's data and every change goes to the audit log — by the API and the
/// dashboard alike: who (a key or an account), what, and which students (ids, never names).
/// </summary>
public static class AccessAudit
{
    public static Task RecordAsync(IAuditLog audit, TimeProvider time, string actor, string action, string subject, CancellationToken cancellation, string? after = null)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        return audit.AuditAsync(new AuditEntry(0, time.GetUtcNow().UtcDateTime, actor, action, subject, null, after), cancellation);
    }

    /// <summary>The students a read returned, as the entry's value (null for none).</summary>
    public static string? Ids(IEnumerable<string> studentIds)
    {
        string ids = string.Join(',', studentIds);
        return ids.Length == 0 ? null : ids;
    }
}
