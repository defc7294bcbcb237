namespace Skillscope.Scoring.Registry;

/// <summary>Who changed what, and when.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry to the audit log (changes of fusion weights, roster, …).</summary>
    Task AuditAsync(AuditEntry entry, CancellationToken cancellation = default);
}
