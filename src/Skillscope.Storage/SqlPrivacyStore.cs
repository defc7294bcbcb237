using System.Data.Common;
using Dapper;
using Skillscope.Assessment.Privacy;
using Skillscope.Scoring.Registry;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Erasure of a student, and transcripts deleted past their retention.</summary>
internal sealed class SqlPrivacyStore(SqlDialect dialect) : IPrivacyStore
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<IReadOnlyDictionary<string, int>?> EraseStudentAsync(string studentId, string actor, DateTime at, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        await _dialect.BeginErasureAsync(connection, cancellation).ConfigureAwait(false);
        try
        {
            var erased = await EraseStudentRowsAsync(connection, studentId, actor, at, cancellation).ConfigureAwait(false);
            if (erased is not null)
            {
                await _dialect.ReclaimErasedAsync(connection, [.. StudentTables, "students"], cancellation).ConfigureAwait(false);
            }

            return erased;
        }
        finally
        {
            await _dialect.EndErasureAsync(connection, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyDictionary<string, int>?> EraseStudentRowsAsync(DbConnection connection, string studentId, string actor, DateTime at, CancellationToken cancellation)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);

        // The student's row first, as evidence writes lock it: a write in progress commits before the
        // erasure deletes its rows, and one that starts later finds no student and stores nothing.
        await connection.ExecuteAsync(new CommandDefinition($"SELECT id FROM students WHERE id = @studentId{_dialect.ForUpdate}", new { studentId }, transaction,
            cancellationToken: cancellation)).ConfigureAwait(false);
        var erased = new Dictionary<string, int>(StringComparer.Ordinal);
        // Events are counted one by one, not by the blocks that hold them.
        erased["behavior_events"] = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(SUM(events), 0) FROM event_blocks WHERE student_id = @studentId", new { studentId }, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        foreach (string table in StudentTables)
        {
            int deleted = await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM {table} WHERE student_id = @studentId", new { studentId }, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
            if (table != "event_blocks")
            {
                erased[table] = deleted;
            }
        }

        erased["students"] = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM students WHERE id = @studentId", new { studentId }, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        if (erased["students"] == 0)
        {
            await transaction.RollbackAsync(cancellation).ConfigureAwait(false);
            return null;
        }

        // Recorded with the erasure itself: there is never an erasure without its entry, nor the reverse.
        await connection.ExecuteAsync(new CommandDefinition(SqlAuditLog.Insert,
            new AuditEntry(0, Utc(at), actor, "student.erased", studentId, null, System.Text.Json.JsonSerializer.Serialize(erased)), transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return erased;
    }

    public async Task<(int Deleted, IReadOnlyList<string> Students)> DeleteUtterancesBeforeAsync(DateTime cutoff, RetentionScope? scope = null, CancellationToken cancellation = default)
    {
        string whose = scope switch
        {
            { District: not null } => $" AND student_id IN ({RosterScopeSql.StudentsWhere}sc.district_id = @district)",
            { ExceptDistricts.Count: > 0 } => $" AND student_id NOT IN ({RosterScopeSql.StudentsWhere}{_dialect.InList("sc.district_id", "except")})",
            _ => "",
        };
        var parameters = new { before = ToMs(cutoff), district = scope?.District, except = _dialect.List(scope?.ExceptDistricts ?? []) };
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        var students = await connection.QueryAsync(transaction, $"SELECT DISTINCT student_id FROM utterances WHERE at_ms < @before{whose} ORDER BY student_id", parameters,
            r => r.GetString(0), cancellation).ConfigureAwait(false);
        int deleted = await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM utterances WHERE at_ms < @before{whose}", parameters, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        foreach (var chunk in students.Chunk(SqlDialect.IdChunk))
        {
            var ids = new { ids = _dialect.List(chunk) };
            await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM student_features WHERE {_dialect.InList("student_id", "ids")}", ids, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
            // Cached LLM texts were written from the sentences that go: they go too (the cache fills again from what is kept).
            await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM feedback_cache WHERE {_dialect.InList("student_id", "ids")}", ids, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition($"UPDATE students SET evidence_version = evidence_version + 1 WHERE {_dialect.InList("id", "ids")}", ids, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return (deleted, students);
    }

    public async Task<IReadOnlyList<StoredRows>> StudentRowsAsync(string studentId, CancellationToken cancellation = default)
    {
        var tables = new List<StoredRows>();
        await using var connection = _dialect.Open();
        foreach (string table in StudentTables)
        {
            if (table != "event_blocks")
            {
                tables.Add(new StoredRows(table, await RowsAsync(connection, $"SELECT * FROM {table} WHERE student_id = @studentId", new { studentId }, cancellation).ConfigureAwait(false)));
            }
        }

        // Audit entries naming the student: as the subject, or in the comma-joined ids of what a read returned.
        string escaped = studentId.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        tables.Add(new StoredRows("audit_log", await RowsAsync(connection,
            "SELECT * FROM audit_log WHERE subject = @studentId OR after_value = @studentId OR after_value LIKE @first ESCAPE '\\' " +
            "OR after_value LIKE @last ESCAPE '\\' OR after_value LIKE @middle ESCAPE '\\' ORDER BY id",
            new { studentId, first = escaped + ",%", last = "%," + escaped, middle = "%," + escaped + ",%" }, cancellation).ConfigureAwait(false)));
        return tables;
    }

    private static async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> RowsAsync(DbConnection connection, string sql, object parameters, CancellationToken cancellation)
    {
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellation)).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.Ordinal);
            for (int i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                {
                    byte[] bytes => Convert.ToBase64String(bytes),
                    DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
                    var value => value,
                };
            }

            rows.Add(row);
        }

        return rows;
    }

    // Every table holding a student's data by student_id (the roster row itself is deleted last).
    private static readonly string[] StudentTables =
        ["utterances", "event_blocks", "teacher_ratings", "student_features", "skill_scores", "assessments", "job_failures", "accuracy_feedback", "feedback_cache"];
}
