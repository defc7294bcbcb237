using System.Data.Common;
using System.Globalization;
using Dapper;
using Skillscope.Assessment.Evidence;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Behaviour events, stored as blocks of one student's events (<see cref="EventBlock"/>).</summary>
internal sealed partial class SqlEvidenceStore
{
    /// <summary>Writes event blocks (see <see cref="EventBlockRow"/>); a block stored already is left as it is, and <c>Written</c> names the students of the new ones.</summary>
    internal static IRowInserter EventBlockInserter(SqlDialect dialect, DbConnection connection, DbTransaction transaction) =>
        dialect.RowInserter(connection, transaction, "event_blocks", EventBlockColumns, EventBlockConflict);

    private const string EventBlockConflict = "ON CONFLICT (student_id, block_id) DO NOTHING RETURNING student_id";

    private static readonly string[] EventBlockColumns = ["student_id", "block_id", "events", "payload"];

    /// <summary>An <see cref="EventBlockInserter"/> row: a student's block of <paramref name="events"/> events, keyed by its hash.</summary>
    internal static object?[] EventBlockRow(string studentId, byte[] block, int events) => [studentId, EventBlock.Key(block), events, block];

    /// <summary>
    /// Stores the events not stored yet (by <see cref="EventIdentity"/>, against what the students have
    /// and earlier rows of the same call) as one new block per student on the roster; returns how many were
    /// new and adds their students to <paramref name="withNewEvidence"/>.
    /// </summary>
    private async Task<int> AddEventsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<BehaviorEvent> events,
        Dictionary<string, (long EvidenceVersion, long EventBlocks)> students, HashSet<string> withNewEvidence, CancellationToken cancellation)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        var fresh = new Dictionary<string, List<BehaviorEvent>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (students.ContainsKey(e.StudentId))
            {
                Add(fresh, e.StudentId, e);
            }
        }

        // What the students have already (their rows are locked): usually nothing (a first import), or the
        // block an earlier batch of the same file wrote for a student whose events it split.
        var stored = new Dictionary<string, (List<BehaviorEvent> Events, List<string?> LegacyKeys)>(StringComparer.Ordinal);
        foreach (string student in fresh.Keys)
        {
            if (students[student].EventBlocks == 0)
            {
                continue;
            }

            var (storedEvents, storedKeys) = stored[student] = ([], []);
            await foreach (var block in ReadEventBlocksAsync(connection, transaction, student, cancellation).ConfigureAwait(false))
            {
                EventBlock.Decode(student, block, storedEvents, storedKeys);
            }
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);

        // A student with no block stored (under the lock) cannot have this one: those blocks skip the
        // database's conflict check.
        var newBlocks = new List<object?[]>();
        var checkedBlocks = new List<object?[]>();

        // One student's identities at a time: a set of a few hundred, not of the whole batch (which
        // reached the large-object heap and its collections).
        var known = new HashSet<EventIdentity>();
        var legacyKeys = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<BehaviorEvent>();
        foreach (var (student, list) in fresh)
        {
            known.Clear();
            legacyKeys.Clear();
            if (stored.TryGetValue(student, out var already))
            {
                for (int i = 0; i < already.Events.Count; i++)
                {
                    known.Add(EventIdentity.Of(already.Events[i]));
                    if (already.LegacyKeys[i] is { } legacyKey)
                    {
                        legacyKeys.Add(legacyKey);
                    }
                }
            }

            kept.Clear();
            foreach (var e in list)
            {
                if (known.Add(EventIdentity.Of(e)) && (legacyKeys.Count == 0 || !legacyKeys.Contains(LegacyEventKey(e))))
                {
                    kept.Add(e);
                }
            }

            if (kept.Count == 0)
            {
                continue;
            }

            counts[student] = kept.Count;
            var row = EventBlockRow(student, EventBlock.Encode(kept), kept.Count);
            (students[student].EventBlocks == 0 ? newBlocks : checkedBlocks).Add(row);
        }

        var written = await WriteEvidenceRowsAsync(connection, transaction, "event_blocks", EventBlockColumns, newBlocks, checkedBlocks, EventBlockConflict, cancellation).ConfigureAwait(false);
        int added = 0;
        foreach (string student in written)
        {
            added += counts[student];
            withNewEvidence.Add(student);
        }

        await connection.ExecuteAsync(new CommandDefinition($"UPDATE students SET event_blocks = event_blocks + 1 WHERE {_dialect.InList("id", "ids")}",
            new { ids = _dialect.List(written) }, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        return added;
    }

    /// <summary>Every stored event of these students (one list parameter: the caller sends a chunk), each student's in no particular order.</summary>
    private async Task<Dictionary<string, List<BehaviorEvent>>> LoadEventsAsync(DbConnection connection, IReadOnlyList<string> studentIds, CancellationToken cancellation)
    {
        var events = new Dictionary<string, List<BehaviorEvent>>(StringComparer.Ordinal);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT student_id, payload FROM event_blocks WHERE {_dialect.InList("student_id", "ids")}", new { ids = _dialect.List(studentIds) }, cancellationToken: cancellation)).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            string student = reader.GetString(0);
            if (!events.TryGetValue(student, out var list))
            {
                events[student] = list = [];
            }

            EventBlock.Decode(student, reader.GetFieldValue<byte[]>(1), list);
        }

        return events;
    }

    private static async IAsyncEnumerable<byte[]> ReadEventBlocksAsync(DbConnection connection, DbTransaction transaction, string studentId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            "SELECT payload FROM event_blocks WHERE student_id = @studentId", new { studentId }, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            yield return reader.GetFieldValue<byte[]>(0);
        }
    }

    /// <summary>The key an event had when events were stored a row each (kept with events converted from then).</summary>
    internal static string LegacyEventKey(BehaviorEvent e) => e.Id is { } given
        ? SourceKey(e.StudentId, given)
        : ContentKey(e.StudentId, e.SessionId, Ticks(e.At), e.Kind, e.TaskId ?? "", e.LatencyMs?.ToString("R", CultureInfo.InvariantCulture) ?? "");
}
