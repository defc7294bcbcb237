using System.Data.Common;
using Dapper;
using Skillscope.Assessment.Evidence;

namespace Skillscope.Storage;

/// <summary>
/// Converts the behaviour events stored a row each (before migration 15) into one block per student,
/// keeping each event's old key so that re-importing a file imported before the upgrade still adds
/// nothing, then drops the old table. Runs inside the migration's transaction: all or nothing.
/// </summary>
internal static class EventBlockMigration
{
    public const long Version = 15;

    private const int StudentChunk = 500;

    public static async Task ConvertAsync(SqlDialect dialect, DbConnection connection, DbTransaction transaction, CancellationToken cancellation)
    {
        // Paged by the key from "" (every id sorts after it), so each page is a range of the primary key:
        // "@after IS NULL OR …" made SQLite scan the table from its start for every page.
        string after = "";
        while (true)
        {
            var students = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT DISTINCT student_id FROM behavior_events WHERE student_id > @after ORDER BY student_id LIMIT @limit",
                new { after, limit = StudentChunk }, transaction, cancellationToken: cancellation)).ConfigureAwait(false)).AsList();
            if (students.Count == 0)
            {
                break;
            }

            var events = new Dictionary<string, (List<BehaviorEvent> Events, List<string?> Keys)>(StringComparer.Ordinal);
            await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
                $"SELECT student_id, id, session_id, at_ms, kind, task_id, latency_ms FROM behavior_events WHERE {dialect.InList("student_id", "ids")}",
                new { ids = dialect.List(students) }, transaction, cancellationToken: cancellation)).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
                {
                    string student = reader.GetString(0);
                    if (!events.TryGetValue(student, out var group))
                    {
                        events[student] = group = ([], []);
                    }

                    group.Events.Add(new BehaviorEvent(student, reader.GetString(2), DateTime.UnixEpoch.AddMilliseconds(SqlValues.Int64(reader, 3)), reader.GetString(4),
                        reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetDouble(6)));
                    group.Keys.Add(reader.GetString(1));
                }
            }

            await using (var insert = SqlEvidenceStore.EventBlockInserter(dialect, connection, transaction))
            {
                foreach (var (student, group) in events)
                {
                    await insert.AddAsync(SqlEvidenceStore.EventBlockRow(student, EventBlock.Encode(group.Events, group.Keys), group.Events.Count), cancellation).ConfigureAwait(false);
                }

                await insert.FlushAsync(cancellation).ConfigureAwait(false);
            }

            after = students[^1];
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE students SET event_blocks = (SELECT COUNT(*) FROM event_blocks b WHERE b.student_id = students.id) WHERE id IN (SELECT DISTINCT student_id FROM event_blocks)",
            transaction: transaction, commandTimeout: 0, cancellationToken: cancellation)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DROP TABLE behavior_events", transaction: transaction, cancellationToken: cancellation)).ConfigureAwait(false);
    }
}
