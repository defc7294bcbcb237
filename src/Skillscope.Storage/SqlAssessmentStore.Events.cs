using System.Data.Common;
using System.Globalization;
using Dapper;
using Skillscope.Assessment.Evidence;

namespace Skillscope.Storage;

/// <summary>Behaviour events, stored as blocks of one student's events (<see cref="EventBlock"/>).</summary>
public sealed partial class SqlAssessmentStore
{
    private const string EventBlockColumns = "student_id, block_id, events, payload";

    /// <summary>
    /// Stores the events not stored yet (by <see cref="EventIdentity"/>, against what the students have
    /// and earlier rows of the same call) as one new block per student; returns how many were new and
    /// adds their students to <paramref name="withNewEvidence"/>.
    /// </summary>
    private async Task<int> AddEventsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<BehaviorEvent> events, HashSet<string> withNewEvidence, CancellationToken cancellation)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        var fresh = new Dictionary<string, List<BehaviorEvent>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            Add(fresh, e.StudentId, e);
        }

        // What the students have already: usually nothing (a first import), or the block an earlier batch
        // of the same file wrote for a student whose events it split.
        var known = new HashSet<EventIdentity>();
        var legacyKeys = new HashSet<string>(StringComparer.Ordinal);
        var stored = new List<BehaviorEvent>();
        var storedLegacyKeys = new List<string?>();
        await foreach (var (student, block) in ReadEventBlocksAsync(connection, transaction, [.. fresh.Keys], cancellation).ConfigureAwait(false))
        {
            stored.Clear();
            storedLegacyKeys.Clear();
            EventBlock.Decode(student, block, stored, storedLegacyKeys);
            for (int i = 0; i < stored.Count; i++)
            {
                known.Add(EventIdentity.Of(stored[i]));
                if (storedLegacyKeys[i] is { } legacyKey)
                {
                    legacyKeys.Add(legacyKey);
                }
            }
        }

        int added = 0;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var insert = _dialect.RowInserter(connection, transaction, "event_blocks", EventBlockColumns.Split(", "),
            "ON CONFLICT (student_id, block_id) DO NOTHING RETURNING student_id"))
        {
            var kept = new List<BehaviorEvent>();
            foreach (var (student, list) in fresh)
            {
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

                byte[] block = EventBlock.Encode(kept);
                counts[student] = kept.Count;
                await insert.AddAsync([student, EventBlock.Key(block), kept.Count, block], cancellation).ConfigureAwait(false);
            }

            await insert.FlushAsync(cancellation).ConfigureAwait(false);
            foreach (string student in insert.Written)
            {
                added += counts[student];
                withNewEvidence.Add(student);
            }
        }

        return added;
    }

    /// <summary>Every stored event of these students, each student's in no particular order.</summary>
    private async Task<Dictionary<string, List<BehaviorEvent>>> LoadEventsAsync(DbConnection connection, IReadOnlyList<string> studentIds, CancellationToken cancellation)
    {
        var events = new Dictionary<string, List<BehaviorEvent>>(StringComparer.Ordinal);
        await foreach (var (student, block) in ReadEventBlocksAsync(connection, null, studentIds, cancellation).ConfigureAwait(false))
        {
            if (!events.TryGetValue(student, out var list))
            {
                events[student] = list = [];
            }

            EventBlock.Decode(student, block, list);
        }

        return events;
    }

    private async IAsyncEnumerable<(string StudentId, byte[] Block)> ReadEventBlocksAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> studentIds,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        foreach (var chunk in studentIds.Chunk(IdChunk))
        {
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
                $"SELECT student_id, payload FROM event_blocks WHERE {_dialect.InList("student_id", "ids")}", new { ids = _dialect.List(chunk) }, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                yield return (reader.GetString(0), reader.GetFieldValue<byte[]>(1));
            }
        }
    }

    /// <summary>The key an event had when events were stored a row each (kept with events converted from then).</summary>
    internal static string LegacyEventKey(BehaviorEvent e) => e.Id is { } given
        ? SourceKey(e.StudentId, given)
        : ContentKey(e.StudentId, e.SessionId, Ticks(e.At), e.Kind, e.TaskId ?? "", e.LatencyMs?.ToString("R", CultureInfo.InvariantCulture) ?? "");
}
