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
                "INSERT INTO live_profiles (model, version, hour_ms, writer, rows_counted, counts, coverage) VALUES (@model, @version, @hourMs, @writer, @rows, @counts, @coverage) " +
                "ON CONFLICT (model, version, hour_ms, writer) DO UPDATE SET rows_counted = excluded.rows_counted, counts = excluded.counts, coverage = excluded.coverage",
                new { model, version, hourMs = ToMs(hour.HourStart), writer, rows = hour.Rows, counts = Bytes(hour.Counts), coverage = Bytes(hour.Coverage) },
                transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<LiveCounts>> LiveCountsAsync(string model, string version, DateTime since, DateTime until, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync(
            "SELECT hour_ms, rows_counted, counts, coverage FROM live_profiles WHERE model = @model AND version = @version AND hour_ms >= @from AND hour_ms < @to ORDER BY hour_ms",
            new { model, version, from = ToMs(since), to = ToMs(until) },
            r => (Hour: SqlValues.Int64(r, 0), Rows: SqlValues.Int64(r, 1), Counts: (byte[])r.GetValue(2), Coverage: r.IsDBNull(3) ? [] : (byte[])r.GetValue(3)),
            cancellation).ConfigureAwait(false);

        // Summed here, per hour: a window holds a row per hour and writer, a few hundred at most.
        var hours = new List<LiveCounts>();
        foreach (var row in rows)
        {
            var counts = MemoryMarshal.Cast<byte, long>(row.Counts);
            var coverage = MemoryMarshal.Cast<byte, long>(row.Coverage);
            if (hours.Count > 0 && ToMs(hours[^1].HourStart) == row.Hour && hours[^1].Counts.Length == counts.Length)
            {
                Add(hours[^1].Counts, counts);
                var summedCoverage = hours[^1].Coverage.Length >= coverage.Length ? hours[^1].Coverage : Widened(hours[^1].Coverage, coverage.Length);
                Add(summedCoverage, coverage);
                hours[^1] = hours[^1] with { Rows = hours[^1].Rows + row.Rows, Coverage = summedCoverage };
            }
            else
            {
                hours.Add(new LiveCounts(FromMs(row.Hour), row.Rows, counts.ToArray()) { Coverage = coverage.ToArray() });
            }
        }

        return hours;
    }

    public async Task SaveRequestCountsAsync(string writer, IReadOnlyList<RequestCounts> minutes, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        foreach (var minute in minutes)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO request_counts (minute_ms, writer, requests, failures, latency) VALUES (@minuteMs, @writer, @requests, @failures, @latency) " +
                "ON CONFLICT (minute_ms, writer) DO UPDATE SET requests = excluded.requests, failures = excluded.failures, latency = excluded.latency",
                new { minuteMs = ToMs(minute.MinuteStart), writer, requests = minute.Requests, failures = minute.Failures, latency = Bytes(minute.Latency) },
                transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<RequestCounts>> RequestCountsAsync(DateTime since, DateTime until, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT minute_ms, requests, failures, latency FROM request_counts WHERE minute_ms >= @from AND minute_ms < @to ORDER BY minute_ms",
            new { from = ToMs(since), to = ToMs(until) },
            r => new RequestCounts(FromMs(SqlValues.Int64(r, 0)), SqlValues.Int64(r, 1), SqlValues.Int64(r, 2), MemoryMarshal.Cast<byte, long>((byte[])r.GetValue(3)).ToArray()),
            cancellation);

    public async Task SaveShadowCountsAsync(string writer, IReadOnlyList<ShadowCounts> hours, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(hours);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        foreach (var hour in hours)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO shadow_counts (model, candidate, served, hour_ms, writer, rows_compared, failures, dropped, abs_diff, band_changes, served_ns, candidate_ns, last_failure, samples) " +
                "VALUES (@Model, @Candidate, @Served, @hourMs, @writer, @Rows, @Failures, @Dropped, @AbsoluteDifference, @BandChanges, @ServedNanoseconds, @CandidateNanoseconds, @LastFailure, @samples) " +
                "ON CONFLICT (model, candidate, served, hour_ms, writer) DO UPDATE SET rows_compared = excluded.rows_compared, failures = excluded.failures, " +
                "dropped = excluded.dropped, abs_diff = excluded.abs_diff, band_changes = excluded.band_changes, served_ns = excluded.served_ns, " +
                "candidate_ns = excluded.candidate_ns, last_failure = excluded.last_failure, samples = excluded.samples",
                new
                {
                    hour.Model, hour.Candidate, hour.Served, hourMs = ToMs(hour.HourStart), writer, hour.Rows, hour.Failures, hour.Dropped, hour.AbsoluteDifference,
                    hour.BandChanges, hour.ServedNanoseconds, hour.CandidateNanoseconds, hour.LastFailure, samples = MemoryMarshal.AsBytes(hour.Samples.AsSpan()).ToArray(),
                },
                transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ShadowCounts>> ShadowCountsAsync(string model, string candidate, DateTime since, DateTime until, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT served, hour_ms, rows_compared, failures, dropped, abs_diff, band_changes, served_ns, candidate_ns, last_failure, samples FROM shadow_counts " +
            "WHERE model = @model AND candidate = @candidate AND hour_ms >= @from AND hour_ms < @to ORDER BY served, hour_ms",
            new { model, candidate, from = ToMs(since), to = ToMs(until) },
            r => new ShadowCounts(model, candidate, r.GetString(0), FromMs(SqlValues.Int64(r, 1)), SqlValues.Int64(r, 2), SqlValues.Int64(r, 3), SqlValues.Int64(r, 4),
                r.GetDouble(5), SqlValues.Int64(r, 6), SqlValues.Int64(r, 7), SqlValues.Int64(r, 8), r.IsDBNull(9) ? null : r.GetString(9),
                MemoryMarshal.Cast<byte, float>((byte[])r.GetValue(10)).ToArray()),
            cancellation);

    public async Task PruneAsync(DateTime hourlyBefore, DateTime minutelyBefore, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        var hourly = new { before = ToMs(hourlyBefore) };
        var minutely = new { before = ToMs(minutelyBefore) };
        foreach (var (sql, parameters) in new (string, object)[]
        {
            ("DELETE FROM live_profiles WHERE hour_ms < @before", hourly),
            ("DELETE FROM shadow_counts WHERE hour_ms < @before", hourly),
            ("DELETE FROM predictions WHERE scored_ms < @before", hourly),
            ("DELETE FROM outcomes WHERE at_ms < @before", hourly),
            ("DELETE FROM request_counts WHERE minute_ms < @before", minutely),
            ("DELETE FROM version_counts WHERE minute_ms < @before", minutely),
        })
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellation)).ConfigureAwait(false);
        }
    }

    public async Task SaveVersionCountsAsync(string writer, IReadOnlyList<VersionCounts> minutes, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        foreach (var minute in minutes)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO version_counts (model, version, minute_ms, writer, rows_scored, rows_failed, calls, calls_failed, nanoseconds) " +
                "VALUES (@Model, @Version, @minuteMs, @writer, @Rows, @FailedRows, @Calls, @FailedCalls, @Nanoseconds) " +
                "ON CONFLICT (model, version, minute_ms, writer) DO UPDATE SET rows_scored = excluded.rows_scored, rows_failed = excluded.rows_failed, " +
                "calls = excluded.calls, calls_failed = excluded.calls_failed, nanoseconds = excluded.nanoseconds",
                new { minute.Model, minute.Version, minuteMs = ToMs(minute.MinuteStart), writer, minute.Rows, minute.FailedRows, minute.Calls, minute.FailedCalls, minute.Nanoseconds },
                transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<VersionCounts>> VersionCountsAsync(string model, DateTime since, DateTime until, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT version, minute_ms, rows_scored, rows_failed, calls, calls_failed, nanoseconds FROM version_counts WHERE model = @model AND minute_ms >= @from AND minute_ms < @to",
            new { model, from = ToMs(since), to = ToMs(until) },
            r => new VersionCounts(model, r.GetString(0), FromMs(SqlValues.Int64(r, 1)), SqlValues.Int64(r, 2), SqlValues.Int64(r, 3), SqlValues.Int64(r, 4), SqlValues.Int64(r, 5),
                SqlValues.Int64(r, 6)),
            cancellation);

    public async Task SavePredictionsAsync(IReadOnlyList<LoggedPrediction> predictions, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        await using var inserter = _dialect.RowInserter(connection, transaction, "predictions", ["model", "entity_id", "version", "score", "scored_ms"],
            "ON CONFLICT (model, entity_id) DO UPDATE SET version = excluded.version, score = excluded.score, scored_ms = excluded.scored_ms RETURNING entity_id");
        foreach (var prediction in predictions)
        {
            await inserter.AddAsync([prediction.Model, prediction.EntityId, prediction.Version, (double)prediction.Score, ToMs(prediction.At)], cancellation).ConfigureAwait(false);
        }

        await inserter.FlushAsync(cancellation).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    private static byte[] Bytes(long[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static long[] Widened(long[] values, int length)
    {
        var wider = new long[length];
        values.CopyTo(wider, 0);
        return wider;
    }

    private static void Add(long[] sum, ReadOnlySpan<long> values)
    {
        for (int i = 0; i < sum.Length && i < values.Length; i++)
        {
            sum[i] += values[i];
        }
    }
}
