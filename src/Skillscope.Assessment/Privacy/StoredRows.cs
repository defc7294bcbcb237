namespace Skillscope.Assessment.Privacy;

/// <summary>
/// Rows of one table as stored, column name to value (text, number, time, or bytes as base64): what an
/// access request's export shows of tables that have no richer reading.
/// </summary>
public sealed record StoredRows(string Table, IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows);
