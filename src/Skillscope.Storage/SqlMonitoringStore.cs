using System.Runtime.InteropServices;
using Dapper;
using Skillscope.Scoring.Monitoring;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Reference profiles (JSON) and live counts per hour and writer (64-bit integers, little-endian).</summary>
internal sealed class SqlMonitoringStore(SqlDialect dialect) : IMonitoringStore
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<ReferenceProfile?> GetReferenceAsync(string model, string version, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync("SELECT profile FROM reference_profiles WHERE model = @model AND version = @version", new { model, version },
            r => r.GetString(0), cancellation).ConfigureAwait(false);
        return rows.Count > 0 ? ReferenceProfileJson.Parse(rows[0]) : null;
    }

    public async Task<ReferenceProfile> AddReferenceAsync(string model, string version, ReferenceProfile profile, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        await using (var connection = _dialect.Open())
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO reference_profiles (model, version, source, created_at, profile) VALUES (@model, @version, @source, @createdAt, @json) " +
                "ON CONFLICT (model, version) DO NOTHING",
                new { model, version, source = profile.Source, createdAt = Utc(profile.CreatedAt), json = ReferenceProfileJson.Serialize(profile) },
                cancellationToken: cancellation)).ConfigureAwait(false);
        }

        // Another replica may have stored its own first: every replica counts against the one stored.
        return await GetReferenceAsync(model, version, cancellation).ConfigureAwait(false) ?? profile;
    }

    public async Task SaveLiveCountsAsync(string model, string version, string writer, IReadOnlyList<LiveCounts> hours, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(hours);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        foreach (var hour in hours)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO live_profiles (model, version, hour_ms, writer, rows_counted, counts) VALUES (@model, @version, @hourMs, @writer, @rows, @counts) " +
                "ON CONFLICT (model, version, hour_ms, writer) DO UPDATE SET rows_counted = excluded.rows_counted, counts = excluded.counts",
                new { model, version, hourMs = ToMs(hour.HourStart), writer, rows = hour.Rows, counts = MemoryMarshal.AsBytes(hour.Counts.AsSpan()).ToArray() },
                transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public async Task DeleteLiveCountsBeforeAsync(DateTime before, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM live_profiles WHERE hour_ms < @before", new { before = ToMs(before) },
            cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<LiveCounts>> LiveCountsAsync(string model, string version, DateTime since, DateTime until, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync(
            "SELECT hour_ms, rows_counted, counts FROM live_profiles WHERE model = @model AND version = @version AND hour_ms >= @from AND hour_ms < @to ORDER BY hour_ms",
            new { model, version, from = ToMs(since), to = ToMs(until) },
            r => (Hour: SqlValues.Int64(r, 0), Rows: SqlValues.Int64(r, 1), Counts: (byte[])r.GetValue(2)), cancellation).ConfigureAwait(false);

        // Summed here, per hour: a window holds a row per hour and writer, a few hundred at most.
        var hours = new List<LiveCounts>();
        foreach (var row in rows)
        {
            var counts = MemoryMarshal.Cast<byte, long>(row.Counts);
            if (hours.Count > 0 && ToMs(hours[^1].HourStart) == row.Hour && hours[^1].Counts.Length == counts.Length)
            {
                var sum = hours[^1].Counts;
                for (int i = 0; i < sum.Length; i++)
                {
                    sum[i] += counts[i];
                }

                hours[^1] = hours[^1] with { Rows = hours[^1].Rows + row.Rows };
            }
            else
            {
                hours.Add(new LiveCounts(FromMs(row.Hour), row.Rows, counts.ToArray()));
            }
        }

        return hours;
    }
}
