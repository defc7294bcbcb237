using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Skillscope.Scoring.Events;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>
/// Writes event deliveries inside the transaction of the change they tell of: one row per subscription that
/// takes the event, so an event is never lost between a change and its telling, nor told of a change rolled
/// back. With no subscription an event costs one statement that inserts nothing.
/// </summary>
internal static class EventOutbox
{
    private const string Columns = "subscription_id, type, subject, district_id, assessment_id, occurred_ms, data, status, attempts, created_ms, next_ms";

    /// <summary>Which subscriptions hear an event that concerns no single district.</summary>
    public enum Audience
    {
        /// <summary>Every subscription that takes the event, a district's too (promotions).</summary>
        Everyone,

        /// <summary>Only subscriptions bound to no district (jobs, which count every district's students, and alerts).</summary>
        Installation,
    }

    // PostgreSQL: the advisory lock publishing transactions take, so that delivery ids are committed in the order
    // they are given out (two transactions writing at once would otherwise commit a later id first, and a
    // delivery could be posted before an earlier one was visible). Taken only when a subscription takes the event.
    private const long PublishLockKey = 0x45766e74;

    /// <summary>
    /// Tells the subscriptions that take <paramref name="type"/> of one event, with its data as a JSON object. With
    /// <paramref name="ordered"/> the caller has called <see cref="OrderedAsync"/> already (before locking rows of its
    /// own) and said there are takers: a subscription made since is not looked for, so the lock is never taken late.
    /// </summary>
    public static async Task<int> PublishAsync(DbConnection connection, DbTransaction transaction, string type, string subject, Audience audience, byte[] data,
        DateTime occurredAt, CancellationToken cancellation, bool ordered = false)
    {
        if (!ordered && !await OrderedAsync(connection, transaction, type, cancellation).ConfigureAwait(false))
        {
            return 0;
        }

        string json = System.Text.Encoding.UTF8.GetString(data);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO event_deliveries ({Columns}) " +
            "SELECT s.id, @type, @subject, NULL, NULL, @at, @json, 'pending', 0, @now, @now FROM event_subscriptions s WHERE s.events LIKE @pattern" +
            (audience == Audience.Installation ? " AND s.district_id IS NULL" : "") + " ORDER BY s.id",
            new { type, subject, at = ToMs(occurredAt), json, now = NowMs(), pattern = EventTypes.Pattern(type) }, transaction, cancellationToken: cancellation))
            .ConfigureAwait(false);
    }

    /// <summary>
    /// False when no subscription takes <paramref name="type"/> (nothing to write); else true, once this
    /// transaction holds the publishing lock on PostgreSQL (held to its commit; taking it again is free). A
    /// transaction that locks rows a batch chunk's commit also locks after publishing (a job's row) takes it
    /// first, before those rows: locks then come in one order, and two commits never wait on each other.
    /// </summary>
    public static async Task<bool> OrderedAsync(DbConnection connection, DbTransaction transaction, string type, CancellationToken cancellation)
    {
        bool taken = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM event_subscriptions WHERE events LIKE @pattern", new { pattern = EventTypes.Pattern(type) }, transaction,
            cancellationToken: cancellation)).ConfigureAwait(false) > 0;
        if (taken && connection is Npgsql.NpgsqlConnection)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = PublishLockKey }, transaction, cancellationToken: cancellation))
                .ConfigureAwait(false);
        }

        return taken;
    }

    /// <summary>
    /// Tells of assessments just stored: each to the subscriptions of its student's district and those bound to
    /// no district, in assessment order. The data is read when the delivery is posted (<see cref="SqlEventStore"/>).
    /// </summary>
    public static async Task<int> PublishAssessmentsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> assessmentIds, CancellationToken cancellation)
    {
        if (assessmentIds.Count == 0 || !await OrderedAsync(connection, transaction, EventTypes.AssessmentCompleted, cancellation).ConfigureAwait(false))
        {
            return 0;
        }

        var ids = new long[assessmentIds.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = assessmentIds[i];
        }

        bool postgres = connection is Npgsql.NpgsqlConnection;
        string among = postgres ? "a.id = ANY(@ids)" : "a.id IN (SELECT value FROM json_each(@ids))";
        return await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO event_deliveries ({Columns}) " +
            "SELECT s.id, @type, CAST(a.id AS TEXT), sc.district_id, a.id, @now, NULL, 'pending', 0, @now, @now " +
            "FROM assessments a LEFT JOIN students st ON st.id = a.student_id LEFT JOIN classes c ON c.id = st.class_id LEFT JOIN schools sc ON sc.id = c.school_id " +
            "JOIN event_subscriptions s ON s.events LIKE @pattern AND (s.district_id IS NULL OR s.district_id = sc.district_id) " +
            $"WHERE {among} ORDER BY a.id, s.id",
            new { type = EventTypes.AssessmentCompleted, now = NowMs(), pattern = EventTypes.Pattern(EventTypes.AssessmentCompleted), ids = postgres ? (object)ids : JsonSerializer.Serialize(ids) },
            transaction, cancellationToken: cancellation)).ConfigureAwait(false);
    }

    /// <summary>An event's data: a JSON object written by <paramref name="write"/> between its braces.</summary>
    public static byte[] Data(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a number, or null where JSON has none (NaN, infinities).</summary>
    public static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes a string, or null.</summary>
    public static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
