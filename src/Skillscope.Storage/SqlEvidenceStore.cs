using System.Buffers;
using System.Data.Common;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Roster;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>
/// Roster and evidence in SQL (SQLite or PostgreSQL, as the registry), and the features extracted from it.
/// Evidence rows are keyed by a hash of their content, which makes every import idempotent.
/// </summary>
internal sealed partial class SqlEvidenceStore(SqlDialect dialect) : IEvidenceStore, IAssessmentInputs
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<int> UpsertRosterAsync(RosterRows rows, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        int changed = 0;
        changed += await UpsertAll(_dialect, connection, transaction, "districts", ["name"], rows.Districts, d => [d.Id, d.Name], cancellation).ConfigureAwait(false);
        changed += await UpsertAll(_dialect, connection, transaction, "schools", ["district_id", "name"], rows.Schools, s => [s.Id, s.DistrictId, s.Name], cancellation).ConfigureAwait(false);
        changed += await UpsertAll(_dialect, connection, transaction, "teachers", ["school_id", "name", "email"], rows.Teachers, t => [t.Id, t.SchoolId, t.Name, t.Email], cancellation).ConfigureAwait(false);
        changed += await UpsertAll(_dialect, connection, transaction, "classes", ["school_id", "name", "grade", "teacher_id"], rows.Classes,
            c => [c.Id, c.SchoolId, c.Name, c.Grade, c.TeacherId], cancellation).ConfigureAwait(false);
        changed += await UpsertAll(_dialect, connection, transaction, "students", ["class_id", "first_name", "last_name", "grade", "search_text"], rows.Students,
            s => [s.Id, s.ClassId, s.FirstName, s.LastName, s.Grade, $"{s.Id} {s.FirstName} {s.LastName}".ToLowerInvariant()], cancellation).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return changed;
    }

    public async Task<EvidenceWrite> AddEvidenceAsync(IReadOnlyList<Utterance> utterances, IReadOnlyList<BehaviorEvent> events, IReadOnlyList<TeacherRating> ratings, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(ratings);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        var withNewEvidence = new HashSet<string>(StringComparer.Ordinal);
        var students = await LockStudentsAsync(connection, transaction, utterances, events, ratings, cancellation).ConfigureAwait(false);
        int added = await AddUtterancesAsync(connection, transaction, utterances, students, withNewEvidence, cancellation).ConfigureAwait(false);
        added += await AddEventsAsync(connection, transaction, events, students, withNewEvidence, cancellation).ConfigureAwait(false);

        // One statement may not update a row twice: of ratings repeating a key, the last one counts.
        var latestRatings = new Dictionary<(string, string, string, DateTime), TeacherRating>();
        foreach (var r in ratings)
        {
            if (students.ContainsKey(r.StudentId))
            {
                latestRatings[(r.StudentId, r.Skill, r.TeacherId, Utc(r.At))] = r;
            }
        }

        await using (var insert = _dialect.RowInserter(connection, transaction, "teacher_ratings", ["student_id", "skill", "teacher_id", "at", "rating"],
            "ON CONFLICT (student_id, skill, teacher_id, at) DO UPDATE SET rating = excluded.rating WHERE teacher_ratings.rating <> excluded.rating RETURNING student_id"))
        {
            foreach (var ((student, skill, teacher, at), r) in latestRatings)
            {
                await insert.AddAsync([student, skill, teacher, at, r.Rating], cancellation).ConfigureAwait(false);
            }

            await insert.FlushAsync(cancellation).ConfigureAwait(false);
            added += insert.Written.Count;
        }

        foreach (var chunk in withNewEvidence.Chunk(SqlDialect.IdChunk))
        {
            await connection.ExecuteAsync(new CommandDefinition($"UPDATE students SET evidence_version = evidence_version + 1 WHERE {_dialect.InList("id", "ids")}",
                new { ids = _dialect.List(chunk) }, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return new EvidenceWrite(added, [.. withNewEvidence]);
    }

    /// <summary>
    /// The stored evidence counts of the students these rows name; a student not on the roster (never
    /// imported, or erased since the rows were checked) is missing, and nothing is stored for them. Their
    /// rows stay locked to the commit, taken in id order so that two writers cannot deadlock: a write or an
    /// erasure running at the same time waits, then sees what this one did.
    /// </summary>
    private async Task<Dictionary<string, (long EvidenceVersion, long EventBlocks)>> LockStudentsAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<Utterance> utterances, IReadOnlyList<BehaviorEvent> events, IReadOnlyList<TeacherRating> ratings, CancellationToken cancellation)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in utterances)
        {
            ids.Add(u.StudentId);
        }

        foreach (var e in events)
        {
            ids.Add(e.StudentId);
        }

        foreach (var r in ratings)
        {
            ids.Add(r.StudentId);
        }

        var students = new Dictionary<string, (long, long)>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return students;
        }

        // One statement, so that the rows are locked in the database's own order of ids.
        var rows = await connection.QueryAsync(transaction, $"SELECT id, evidence_version, event_blocks FROM students WHERE {_dialect.InList("id", "ids")} ORDER BY id{_dialect.ForUpdate}",
            new { ids = _dialect.List(ids) }, r => (Id: r.GetString(0), Version: SqlValues.Int64(r, 1), Blocks: SqlValues.Int64(r, 2)), cancellation).ConfigureAwait(false);
        foreach (var (id, version, blocks) in rows)
        {
            students[id] = (version, blocks);
        }

        return students;
    }

    /// <summary>
    /// Stores the utterances not stored yet (keyed by the source's id, else by their content) of students
    /// on the roster; returns how many were new and adds their students to <paramref name="withNewEvidence"/>.
    /// </summary>
    private async Task<int> AddUtterancesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Utterance> utterances,
        Dictionary<string, (long EvidenceVersion, long EventBlocks)> students, HashSet<string> withNewEvidence, CancellationToken cancellation)
    {
        // A student who never had new evidence has no utterance stored (every write that adds one counts
        // it, under the lock taken above, and only for a student on the roster), so their rows are new
        // unless this call repeats one.
        var unseen = new HashSet<(string Student, string Key)>();
        var newRows = new List<object?[]>();
        var checkedRows = new List<object?[]>();
        foreach (var u in utterances)
        {
            if (!students.TryGetValue(u.StudentId, out var student))
            {
                continue;
            }

            string key = u.Id is { } given ? SourceKey(u.StudentId, given) : ContentKey(u.StudentId, u.SessionId, Ticks(u.At), u.Source, u.Text);
            object?[] row = [key, u.StudentId, u.SessionId, ToMs(u.At), u.Source, u.Text];
            if (student.EvidenceVersion != 0)
            {
                checkedRows.Add(row);
            }
            else if (unseen.Add((u.StudentId, key)))
            {
                newRows.Add(row);
            }
        }

        var written = await WriteEvidenceRowsAsync(connection, transaction, "utterances", ["id", "student_id", "session_id", "at_ms", "source", "text"], newRows, checkedRows,
            "ON CONFLICT (student_id, id) DO NOTHING RETURNING student_id", cancellation).ConfigureAwait(false);
        withNewEvidence.UnionWith(written);
        return written.Count;
    }

    /// <summary>
    /// Writes evidence rows into <paramref name="table"/>: <paramref name="newRows"/>, which the caller knows
    /// are not stored (their students, locked, have none), without a conflict check, which was most of a
    /// first import's cost on PostgreSQL; <paramref name="checkedRows"/> under <paramref name="conflict"/>
    /// (which returns the student). Returns the student of each row written.
    /// </summary>
    private async Task<List<string>> WriteEvidenceRowsAsync(DbConnection connection, DbTransaction transaction, string table, string[] columns,
        List<object?[]> newRows, List<object?[]> checkedRows, string conflict, CancellationToken cancellation)
    {
        var written = new List<string>(newRows.Count);
        int studentColumn = Array.IndexOf(columns, "student_id");

        // One after the other: PostgreSQL runs one COPY at a time on a connection.
        if (newRows.Count > 0)
        {
            await using var insert = _dialect.NewRowInserter(connection, transaction, table, columns);
            foreach (var row in newRows)
            {
                await insert.AddAsync(row, cancellation).ConfigureAwait(false);
                written.Add((string)row[studentColumn]!);
            }

            await insert.FlushAsync(cancellation).ConfigureAwait(false);
        }

        if (checkedRows.Count > 0)
        {
            await using var insert = _dialect.RowInserter(connection, transaction, table, columns, conflict);
            foreach (var row in checkedRows)
            {
                await insert.AddAsync(row, cancellation).ConfigureAwait(false);
            }

            await insert.FlushAsync(cancellation).ConfigureAwait(false);
            written.AddRange(insert.Written);
        }

        return written;
    }

    public async Task SaveFeaturesAsync(IReadOnlyList<(string StudentId, long EvidenceVersion, StudentFeatures Features)> features, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        // Through the bulk path (COPY on PostgreSQL): a statement per student was a round trip each, most of
        // the time a refresh of a whole district's features spent writing them.
        string[] values = ["feature_set_version", "evidence_version", "coverage", "vals", "exemplars"];
        await using (var upsert = _dialect.RowInserter(connection, transaction, "student_features", ["student_id", .. values],
            $"ON CONFLICT (student_id) DO UPDATE SET {string.Join(", ", values.Select(c => $"{c} = excluded.{c}"))}"))
        {
            // One statement may not update a row twice: of features repeating a student, the last one counts.
            var last = new Dictionary<string, int>(features.Count, StringComparer.Ordinal);
            for (int i = 0; i < features.Count; i++)
            {
                last[features[i].StudentId] = i;
            }

            foreach (var (student, version, extracted) in features.Where((_, i) => last[features[i].StudentId] == i))
            {
                await upsert.AddAsync([student, extracted.FeatureSetVersion, version, extracted.Coverage,
                    MemoryMarshal.AsBytes(extracted.Values.AsSpan()).ToArray(), AssessmentJson.SerializeExemplars(extracted.Exemplars)], cancellation).ConfigureAwait(false);
            }

            await upsert.FlushAsync(cancellation).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public async Task EvidenceBulkWrittenAsync(CancellationToken cancellation = default)
    {
        try
        {
            await using var connection = _dialect.Open();
            await _dialect.RefreshStatisticsAsync(connection, ["students", "utterances", "event_blocks", "teacher_ratings"], cancellation).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // Only a hint to the planner (it may wait behind a VACUUM and time out): the rows are committed,
            // and the reads that follow work without it, more slowly.
        }
    }

    public async Task<IReadOnlyList<StudentEvidence>> LoadEvidenceAsync(IReadOnlyList<string> studentIds, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(studentIds);
        var result = new List<StudentEvidence>(studentIds.Count);
        await using var connection = _dialect.Open();
        foreach (var chunk in studentIds.Chunk(SqlDialect.IdChunk))
        {
            var parameters = new { ids = _dialect.List(chunk) };
            var versions = await connection.QueryAsync(null, $"SELECT id, evidence_version FROM students WHERE {_dialect.InList("id", "ids")}", parameters,
                r => (Id: r.GetString(0), Version: SqlValues.Int64(r, 1)), cancellation).ConfigureAwait(false);
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            var utterances = new Dictionary<string, List<Utterance>>(StringComparer.Ordinal);
            await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
                $"SELECT student_id, session_id, at_ms, source, text FROM utterances WHERE {_dialect.InList("student_id", "ids")}",
                parameters, cancellationToken: cancellation)).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
                {
                    var u = new Utterance(Shared(names, reader.GetString(0)), Shared(names, reader.GetString(1)), FromMs(reader.GetInt64(2)), Shared(names, reader.GetString(3)), reader.GetString(4));
                    Add(utterances, u.StudentId, u);
                }
            }

            var events = await LoadEventsAsync(connection, chunk, cancellation).ConfigureAwait(false);

            // Rows come in key order; features want each student's evidence in time order (ties broken by content, so it is deterministic).
            foreach (var list in utterances.Values)
            {
                list.Sort(static (a, b) => Compare(a.At.CompareTo(b.At), a.SessionId, b.SessionId, a.Source, b.Source, a.Text, b.Text));
            }

            foreach (var list in events.Values)
            {
                list.Sort(static (a, b) => Compare(a.At.CompareTo(b.At), a.SessionId, b.SessionId, a.Kind, b.Kind, a.TaskId, b.TaskId));
            }

            var byId = versions.ToDictionary(v => v.Id, v => v.Version, StringComparer.Ordinal);
            foreach (string id in chunk)
            {
                if (byId.TryGetValue(id, out long version))
                {
                    result.Add(new StudentEvidence(id, version, utterances.GetValueOrDefault(id) ?? [], events.GetValueOrDefault(id) ?? []));
                }
            }
        }

        return result;
    }

    public async Task<IReadOnlyList<StudentEvidence>> LoadAssessmentInputsAsync(IReadOnlyList<string> studentIds, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(studentIds);
        var found = new Dictionary<string, StudentEvidence>(StringComparer.Ordinal);
        var stale = new List<string>();
        await using (var connection = _dialect.Open())
        {
            foreach (var chunk in studentIds.Chunk(SqlDialect.IdChunk))
            {
                var rows = await connection.QueryAsync(null,
                    "SELECT s.id, s.evidence_version, f.evidence_version, f.coverage, f.vals, f.exemplars FROM students s " +
                    $"LEFT JOIN student_features f ON f.student_id = s.id AND f.feature_set_version = @version WHERE {_dialect.InList("s.id", "ids")}",
                    new { ids = _dialect.List(chunk), version = FeatureSet.Version },
                    r => (Id: r.GetString(0), Version: SqlValues.Int64(r, 1), Cached: r.IsDBNull(2) ? -1 : SqlValues.Int64(r, 2),
                        Coverage: r.IsDBNull(3) ? 0 : SqlValues.Double(r, 3), Values: r.IsDBNull(4) ? null : (byte[])r.GetValue(4), Exemplars: SqlValues.NullableString(r, 5)),
                    cancellation).ConfigureAwait(false);
                foreach (var row in rows)
                {
                    if (row.Cached == row.Version && row.Values is { Length: FeatureSet.Count * sizeof(float) } bytes)
                    {
                        var values = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
                        found[row.Id] = new StudentEvidence(row.Id, row.Version, [], [])
                        {
                            Features = new StudentFeatures(values, row.Coverage, AssessmentJson.DeserializeExemplars(row.Exemplars ?? "{}")),
                        };
                    }
                    else
                    {
                        stale.Add(row.Id);
                    }
                }
            }
        }

        if (stale.Count > 0)
        {
            foreach (var student in await LoadEvidenceAsync(stale, cancellation).ConfigureAwait(false))
            {
                found[student.StudentId] = student;
            }
        }

        // Each student's district, whose fusion weights apply (one lookup per chunk of ids).
        var districts = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var connection = _dialect.Open())
        {
            foreach (var chunk in found.Keys.Chunk(SqlDialect.IdChunk))
            {
                foreach (var (student, district) in await connection.QueryAsync(null,
                    $"SELECT s.id, sc.district_id FROM students s JOIN classes c ON c.id = s.class_id JOIN schools sc ON sc.id = c.school_id WHERE {_dialect.InList("s.id", "ids")}",
                    new { ids = _dialect.List(chunk) }, r => (r.GetString(0), r.GetString(1)), cancellation).ConfigureAwait(false))
                {
                    districts[student] = district;
                }
            }
        }

        var inputs = new List<StudentEvidence>(found.Count);
        foreach (string id in studentIds)
        {
            if (found.Remove(id, out var input))
            {
                inputs.Add(districts.TryGetValue(id, out var district) ? input with { DistrictId = district } : input);
            }
        }

        return inputs;
    }

    public Task<IReadOnlyList<TeacherRating>> LoadRatingsAsync(CancellationToken cancellation = default) =>
        _dialect.QueryAsync("SELECT student_id, teacher_id, skill, rating, at FROM teacher_ratings ORDER BY student_id, skill, at", null,
            r => new TeacherRating(r.GetString(0), r.GetString(1), r.GetString(2), (int)SqlValues.Int64(r, 3), SqlValues.Timestamp(r, 4)), cancellation);

    private static async Task<int> UpsertAll<T>(SqlDialect dialect, DbConnection connection, DbTransaction transaction, string table, string[] columns, IReadOnlyList<T> rows,
        Func<T, object?[]> values, CancellationToken cancellation)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        // One statement may not change a row twice: of rows repeating an id, the last one counts.
        var latest = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var value = values(row);
            latest[(string)value[0]!] = value;
        }

        // Only rows whose values differ are rewritten, so a re-import reports (and changes) nothing.
        await using var upsert = dialect.RowInserter(connection, transaction, table, ["id", .. columns],
            $"ON CONFLICT (id) DO UPDATE SET {string.Join(", ", columns.Select(c => $"{c} = excluded.{c}"))} " +
            $"WHERE {string.Join(" OR ", columns.Select(c => $"{table}.{c} <> excluded.{c}"))} RETURNING id");
        foreach (var value in latest.Values)
        {
            await upsert.AddAsync(value, cancellation).ConfigureAwait(false);
        }

        await upsert.FlushAsync(cancellation).ConfigureAwait(false);
        return upsert.Written.Count;
    }

    /// <summary>One string object per distinct value read (ids, kinds and sessions repeat on every row).</summary>
    private static string Shared(Dictionary<string, string> names, string value)
    {
        if (names.TryGetValue(value, out var shared))
        {
            return shared;
        }

        names[value] = value;
        return value;
    }

    private static int Compare(int first, string? a1, string? b1, string? a2, string? b2, string? a3, string? b3)
    {
        if (first != 0)
        {
            return first;
        }

        int c = string.CompareOrdinal(a1, b1);
        c = c != 0 ? c : string.CompareOrdinal(a2, b2);
        return c != 0 ? c : string.CompareOrdinal(a3, b3);
    }

    private static void Add<T>(Dictionary<string, List<T>> groups, string key, T item)
    {
        if (!groups.TryGetValue(key, out var list))
        {
            groups[key] = list = [];
        }

        list.Add(item);
    }

    /// <summary>A row's identity from the id its source system gave it (unique per student here).</summary>
    private static string SourceKey(string student, string id) => ContentKey("source-id", student, id);

    /// <summary>A row's identity from its content: the same row imported twice has the same key.</summary>
    /// <remarks>The SHA-256 of the parts' UTF-8 joined by U+001F, written without building the joined text (an import hashes millions).</remarks>
    private static string ContentKey(params ReadOnlySpan<string> parts)
    {
        int length = parts.Length - 1;
        foreach (string part in parts)
        {
            length += Encoding.UTF8.GetByteCount(part);
        }

        byte[]? rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> text = rented is null ? stackalloc byte[1024] : rented;
        int written = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                text[written++] = 0x1F;
            }

            written += Encoding.UTF8.GetBytes(parts[i], text[written..]);
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(text[..written], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return Convert.ToHexStringLower(hash[..16]);
    }
}
