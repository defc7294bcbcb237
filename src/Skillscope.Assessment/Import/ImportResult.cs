namespace Skillscope.Assessment.Import;

/// <summary>
/// What one import did: rows read, rows written (new, or roster rows whose values changed), rows
/// already stored as they are, and the rejected rows with their line numbers.
/// </summary>
public sealed record ImportResult(string Kind, string Source, long Rows, long Written, long Unchanged, long Rejected, IReadOnlyList<ImportError> Errors)
{
    /// <summary>At most this many errors are listed; <see cref="Rejected"/> counts them all.</summary>
    public const int ListedErrors = 100;
}

/// <summary>A rejected row: its line (1-based, the header being line 1 of a CSV file) and why.</summary>
public sealed record ImportError(long Line, string Message);
