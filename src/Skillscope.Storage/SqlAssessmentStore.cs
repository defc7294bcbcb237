using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Reasoning;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Validation;
using Skillscope.Scoring.Registry;
using Skillscope.Trees.Metrics;

namespace Skillscope.Storage;

/// <summary>
/// Roster, evidence, assessments and batch jobs in SQL (SQLite or PostgreSQL, as the registry).
/// Evidence rows are keyed by a hash of their content, which makes every import idempotent.
/// </summary>
public sealed partial class SqlAssessmentStore : IAssessmentStore, IFeedbackCache, IUserStore
{
    // SQLite caps bound parameters per statement; lists of ids are sent in chunks of this size.
    private const int IdChunk = 500;

    // Below this many assessments, serialising them on one thread is quicker than sharing the work out.
    private const int ParallelDocumentsFrom = 64;

    private readonly SqlDialect _dialect;

    internal SqlAssessmentStore(SqlDialect dialect)
    {
        _dialect = dialect;
    }

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

        foreach (var chunk in withNewEvidence.Chunk(IdChunk))
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

    public async Task<IReadOnlyList<StudentEvidence>> LoadAssessmentInputsAsync(IReadOnlyList<string> studentIds, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(studentIds);
        var found = new Dictionary<string, StudentEvidence>(StringComparer.Ordinal);
        var stale = new List<string>();
        await using (var connection = _dialect.Open())
        {
            foreach (var chunk in studentIds.Chunk(IdChunk))
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

        var inputs = new List<StudentEvidence>(found.Count);
        foreach (string id in studentIds)
        {
            if (found.Remove(id, out var input))
            {
                inputs.Add(input);
            }
        }

        return inputs;
    }

    public async Task<IReadOnlySet<string>> ExistingAsync(RosterTable table, IReadOnlyCollection<string> ids, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        string name = table switch
        {
            RosterTable.Districts => "districts",
            RosterTable.Schools => "schools",
            RosterTable.Teachers => "teachers",
            RosterTable.Classes => "classes",
            _ => "students",
        };
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = _dialect.Open();
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(IdChunk))
        {
            var rows = await connection.QueryAsync(null, $"SELECT id FROM {name} WHERE {_dialect.InList("id", "ids")}", new { ids = _dialect.List(chunk) }, r => r.GetString(0), cancellation).ConfigureAwait(false);
            found.UnionWith(rows);
        }

        return found;
    }

    public async Task<StudentRecord?> GetStudentAsync(string id, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync($"{StudentSelect} WHERE s.id = @id", new { id }, ReadStudent, cancellation).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : null;
    }

    public async Task<StudentPage> SearchStudentsAsync(string? query, string? classId, int page, int pageSize, RosterScope? scope = null, int? grade = null, CancellationToken cancellation = default)
    {
        string? teacherId = scope?.TeacherId, districtId = scope?.DistrictId;
        var conditions = new List<string>();
        string? pattern = null;
        if (!string.IsNullOrWhiteSpace(query))
        {
            // LIKE with the wildcards of the query itself escaped: a search for "50%" means those characters.
            pattern = "%" + query.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            conditions.Add("s.search_text LIKE @pattern ESCAPE '\\'");
        }

        if (!string.IsNullOrEmpty(classId))
        {
            conditions.Add("s.class_id = @classId");
        }

        if (teacherId is not null)
        {
            conditions.Add("c.teacher_id = @teacherId");
        }

        if (districtId is not null)
        {
            conditions.Add("sc.district_id = @districtId");
        }

        if (grade is not null)
        {
            conditions.Add("s.grade = @grade");
        }

        string where = conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "";
        var parameters = new { pattern, classId, teacherId, districtId, grade, limit = pageSize, offset = (long)(page - 1) * pageSize };
        await using var connection = _dialect.Open();

        // One scan: the total comes with the page (a window count); only a page past the end needs its own count.
        long total = 0;
        var students = await connection.QueryAsync(null, $"SELECT {StudentColumns}, COUNT(*) OVER () {StudentFrom}{where} " +
            "ORDER BY s.last_name, s.first_name, s.id LIMIT @limit OFFSET @offset", parameters, r =>
            {
                total = SqlValues.Int64(r, StudentColumnCount);
                return ReadStudent(r);
            }, cancellation).ConfigureAwait(false);
        if (students.Count == 0 && page > 1)
        {
            total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) {StudentFrom}{where}", parameters, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        return new StudentPage(students, page, pageSize, total);
    }

    public async Task<IReadOnlyList<StudentEvidence>> LoadEvidenceAsync(IReadOnlyList<string> studentIds, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(studentIds);
        var result = new List<StudentEvidence>(studentIds.Count);
        await using var connection = _dialect.Open();
        foreach (var chunk in studentIds.Chunk(IdChunk))
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

    public Task<IReadOnlyList<TeacherRating>> LoadRatingsAsync(CancellationToken cancellation = default) =>
        _dialect.QueryAsync("SELECT student_id, teacher_id, skill, rating, at FROM teacher_ratings ORDER BY student_id, skill, at", null,
            r => new TeacherRating(r.GetString(0), r.GetString(1), r.GetString(2), (int)SqlValues.Int64(r, 3), SqlValues.Timestamp(r, 4)), cancellation);

    public Task<IReadOnlyList<string>> StudentIdsAsync(string? after, int limit, bool staleOnly, string? through = null, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT id FROM students WHERE (@after IS NULL OR id > @after)" + (through is null ? "" : " AND id <= @through") +
            (staleOnly ? " AND evidence_version <> assessed_version" : "") + " ORDER BY id LIMIT @limit",
            new { after, through, limit }, r => r.GetString(0), cancellation);

    public async Task<long> CountStudentsAsync(bool staleOnly, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM students" + (staleOnly ? " WHERE evidence_version <> assessed_version" : ""), cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StudentAssessment>> SaveAssessmentsAsync(IReadOnlyList<StudentAssessment> assessments, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        var documents = Documents(assessments);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        var stored = await InsertAssessments(connection, transaction, assessments, documents, cancellation).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return stored;
    }

    public Task<IReadOnlyList<StudentAssessment>> HistoryAsync(string studentId, int limit, CancellationToken cancellation = default) =>
        _dialect.QueryAsync("SELECT id, payload FROM assessments WHERE student_id = @studentId ORDER BY id DESC LIMIT @limit", new { studentId, limit },
            r => AssessmentJson.Deserialize(r.GetString(1)) with { Id = SqlValues.Int64(r, 0) }, cancellation);

    public Task<IReadOnlyList<JobFailure>> JobFailuresAsync(string jobId, int limit, CancellationToken cancellation = default) =>
        _dialect.QueryAsync("SELECT job_id, student_id, code, message FROM job_failures WHERE job_id = @jobId ORDER BY student_id LIMIT @limit", new { jobId, limit },
            r => new JobFailure(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)), cancellation);

    public Task<IReadOnlyList<StoredSkillScore>> JobSkillScoresAsync(string jobId, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT s.student_id, s.skill, s.score, s.fused, s.confidence FROM skill_scores s JOIN assessments a ON a.id = s.assessment_id WHERE a.job_id = @jobId",
            new { jobId }, r => new StoredSkillScore(r.GetString(0), r.GetString(1), SqlValues.Double(r, 2), SqlValues.Double(r, 3), SqlValues.Double(r, 4)), cancellation);

    public async Task<string?> GetFeedbackAsync(string key, DateTime now, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT feedback FROM feedback_cache WHERE cache_key = @key AND expires_ms > @now", new { key, now = ToMs(now) }, cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public async Task PutFeedbackAsync(string key, string feedbackJson, DateTime expiresAt, string studentId, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();

        // Expired entries go as new ones arrive, so the table holds about one TTL's worth of texts.
        long now = ToMs(DateTime.UtcNow);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO feedback_cache (cache_key, feedback, created_ms, expires_ms, student_id) VALUES (@key, @feedbackJson, @now, @expires, @studentId) " +
            "ON CONFLICT (cache_key) DO UPDATE SET feedback = excluded.feedback, created_ms = excluded.created_ms, expires_ms = excluded.expires_ms, student_id = excluded.student_id",
            new { key, feedbackJson, now, expires = ToMs(expiresAt), studentId }, cancellationToken: cancellation)).ConfigureAwait(false);
        if (Random.Shared.Next(100) == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM feedback_cache WHERE expires_ms <= @now", new { now }, cancellationToken: cancellation)).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<string>> RosterNamesAsync(CancellationToken cancellation = default) =>
        _dialect.QueryAsync("SELECT first_name FROM students UNION SELECT last_name FROM students UNION SELECT name FROM teachers", null, r => r.GetString(0), cancellation);

    public Task<IReadOnlyList<ClassSkillAverage>> ClassAveragesAsync(string classId, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT k.skill, AVG(k.fused), COUNT(*) FROM skill_scores k JOIN students s ON s.id = k.student_id " +
            $"WHERE s.class_id = @classId AND {LatestScore} GROUP BY k.skill ORDER BY k.skill",
            new { classId }, r => new ClassSkillAverage(r.GetString(0), SqlValues.Double(r, 1), (int)SqlValues.Int64(r, 2)), cancellation);

    public async Task<ScoreMonitoring> MonitorAsync(DateTime since, int maxAssessments, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAssessments, 1);
        await using var connection = _dialect.Open();
        // The latest assessments only, found by key ranges: the cost stays the same however many nights are stored.
        long newest = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(id) FROM assessments", cancellationToken: cancellation)).ConfigureAwait(false) ?? 0;
        long fromId = Math.Max(1, newest - maxAssessments + 1);
        // The earliest time among them, not the first id's: chunks of a job are assessed concurrently and
        // committed in order, so a later id may carry an earlier time.
        var earliest = await connection.QueryAsync(null, "SELECT MIN(assessed_at) FROM assessments WHERE id >= @fromId", new { fromId },
            r => SqlValues.NullableTimestamp(r, 0), cancellation).ConfigureAwait(false);
        var from = Utc(since);
        if (earliest.Count > 0 && earliest[0] is { } time && time > from)
        {
            from = time;
        }

        var parameters = new { fromId, since = from };
        var bins = await connection.QueryAsync(null,
            $"SELECT skill, model_version, {_dialect.TenthBin("fused")} AS bin, COUNT(*), SUM(fused) FROM skill_scores WHERE assessment_id >= @fromId AND assessed_at >= @since " +
            "GROUP BY skill, model_version, bin",
            parameters, r => (Skill: r.GetString(0), Version: r.GetString(1), Bin: (int)SqlValues.Int64(r, 2), Count: SqlValues.Int64(r, 3), Sum: SqlValues.Double(r, 4)),
            cancellation).ConfigureAwait(false);
        // Each score against the mean rating its student got in that skill (a student rated by several teachers counts once);
        // materialised so that the rating is looked up once per score, not once per aggregate.
        var rated = await connection.QueryAsync(null,
            "WITH pairs AS MATERIALIZED (SELECT k.skill, k.fused, (SELECT AVG(CAST(r.rating AS DOUBLE PRECISION)) FROM teacher_ratings r WHERE r.student_id = k.student_id AND r.skill = k.skill) AS rating " +
            "FROM skill_scores k WHERE k.assessment_id >= @fromId AND k.assessed_at >= @since) " +
            "SELECT skill, COUNT(*), SUM(fused), SUM(rating), SUM(fused * fused), SUM(rating * rating), SUM(fused * rating) FROM pairs WHERE rating IS NOT NULL GROUP BY skill",
            parameters, r => (Skill: r.GetString(0), N: SqlValues.Int64(r, 1), R: RegressionMetrics.PearsonFromSums(SqlValues.Int64(r, 1), SqlValues.Double(r, 2), SqlValues.Double(r, 3),
                SqlValues.Double(r, 4), SqlValues.Double(r, 5), SqlValues.Double(r, 6))), cancellation).ConfigureAwait(false);
        var feedback = await connection.QueryAsync(null,
            "SELECT feedback_source, feedback_reason, COUNT(*), COALESCE(SUM(tokens_in), 0), COALESCE(SUM(tokens_out), 0) FROM assessments WHERE assessed_at >= @since AND id >= @fromId " +
            "GROUP BY feedback_source, feedback_reason ORDER BY COUNT(*) DESC",
            parameters, r => new FeedbackUsage(SqlValues.NullableString(r, 0), SqlValues.NullableString(r, 1), SqlValues.Int64(r, 2), SqlValues.Int64(r, 3), SqlValues.Int64(r, 4)),
            cancellation).ConfigureAwait(false);

        var skills = new List<SkillMonitoring>();
        foreach (var skill in bins.GroupBy(b => b.Skill, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var histogram = new long[ScoreMonitoring.Bins];
            foreach (var bin in skill)
            {
                histogram[bin.Bin] += bin.Count;
            }

            long scores = histogram.Sum();
            var versions = skill.GroupBy(b => b.Version, StringComparer.Ordinal).OrderBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => new ModelVersionUsage(v.Key, v.Sum(b => b.Count), v.Sum(b => b.Sum) / v.Sum(b => b.Count))).ToList();
            var correlation = rated.FirstOrDefault(r => r.Skill == skill.Key);
            skills.Add(new SkillMonitoring(skill.Key, scores, skill.Sum(b => b.Sum) / scores, histogram, correlation.N,
                correlation.Skill is null || double.IsNaN(correlation.R) ? null : correlation.R, versions));
        }

        return new ScoreMonitoring(from, skills, feedback);
    }

    public Task<IReadOnlyList<ClassSummary>> ClassesAsync(RosterScope scope, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT c.id, c.name, c.grade, c.teacher_id, t.name, (SELECT COUNT(*) FROM students s WHERE s.class_id = c.id) FROM classes c " +
            "LEFT JOIN teachers t ON t.id = c.teacher_id LEFT JOIN schools sc ON sc.id = c.school_id " +
            "WHERE (@teacherId IS NULL OR c.teacher_id = @teacherId) AND (@districtId IS NULL OR sc.district_id = @districtId) ORDER BY c.grade, c.name, c.id",
            new { teacherId = scope.TeacherId, districtId = scope.DistrictId }, r => new ClassSummary(r.GetString(0), r.GetString(1), (int)SqlValues.Int64(r, 2), r.GetString(3), SqlValues.NullableString(r, 4), (int)SqlValues.Int64(r, 5)),
            cancellation);

    public async Task<IReadOnlyList<ClassStudentScores>> ClassScoresAsync(string classId, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync(
            "SELECT s.id, s.first_name, s.last_name, k.skill, k.fused FROM students s " +
            $"LEFT JOIN skill_scores k ON k.student_id = s.id AND {LatestScore} WHERE s.class_id = @classId ORDER BY s.last_name, s.first_name, s.id",
            new { classId }, r => (Id: r.GetString(0), First: r.GetString(1), Last: r.GetString(2), Skill: SqlValues.NullableString(r, 3), Fused: r.IsDBNull(4) ? 0 : SqlValues.Double(r, 4)),
            cancellation).ConfigureAwait(false);
        var students = new List<ClassStudentScores>();
        foreach (var row in rows)
        {
            if (students.Count == 0 || students[^1].StudentId != row.Id)
            {
                students.Add(new ClassStudentScores(row.Id, row.First, row.Last, new Dictionary<string, double>(StringComparer.Ordinal)));
            }

            if (row.Skill is not null)
            {
                ((Dictionary<string, double>)students[^1].Fused)[row.Skill] = row.Fused;
            }
        }

        return students;
    }

    public async Task<AccuracyFeedback> AddAccuracyFeedbackAsync(AccuracyFeedback feedback, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await using var connection = _dialect.Open();
        long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO accuracy_feedback (assessment_id, student_id, username, at, verdict, skills_off, comment) " +
            "VALUES (@AssessmentId, @StudentId, @Username, @at, @Verdict, @skills, @Comment) RETURNING id",
            new { feedback.AssessmentId, feedback.StudentId, feedback.Username, at = Utc(feedback.At), feedback.Verdict, skills = string.Join(',', feedback.SkillsOff), feedback.Comment },
            cancellationToken: cancellation)).ConfigureAwait(false);
        return feedback with { Id = id };
    }

    public Task<IReadOnlyList<AccuracyFeedback>> ListAccuracyFeedbackAsync(int limit, string? districtId = null, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT f.id, f.assessment_id, f.student_id, f.username, f.at, f.verdict, f.skills_off, f.comment FROM accuracy_feedback f " +
            (districtId is null ? "" : "JOIN students s ON s.id = f.student_id JOIN classes c ON c.id = s.class_id JOIN schools sc ON sc.id = c.school_id WHERE sc.district_id = @districtId ") +
            "ORDER BY f.id DESC LIMIT @limit", new { limit, districtId },
            r => new AccuracyFeedback(SqlValues.Int64(r, 0), SqlValues.Int64(r, 1), r.GetString(2), r.GetString(3), SqlValues.Timestamp(r, 4), r.GetString(5),
                r.GetString(6).Split(',', StringSplitOptions.RemoveEmptyEntries), SqlValues.NullableString(r, 7)), cancellation);

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
        await connection.ExecuteAsync(new CommandDefinition(AuditInsert,
            new AuditEntry(0, Utc(at), actor, "student.erased", studentId, null, System.Text.Json.JsonSerializer.Serialize(erased)), transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return erased;
    }

    public async Task<(int Deleted, IReadOnlyList<string> Students)> DeleteUtterancesBeforeAsync(DateTime cutoff, CancellationToken cancellation = default)
    {
        long before = ToMs(cutoff);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        var students = await connection.QueryAsync(transaction, "SELECT DISTINCT student_id FROM utterances WHERE at_ms < @before ORDER BY student_id", new { before },
            r => r.GetString(0), cancellation).ConfigureAwait(false);
        int deleted = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM utterances WHERE at_ms < @before", new { before }, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        foreach (var chunk in students.Chunk(IdChunk))
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

    public async Task ReplaceAssessmentAsync(StudentAssessment assessment, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        await using var connection = _dialect.Open();
        await connection.ExecuteAsync(new CommandDefinition("UPDATE assessments SET payload = @payload WHERE id = @Id",
            new { payload = AssessmentJson.Serialize(assessment), assessment.Id }, cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public async Task AuditAsync(AuditEntry entry, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = _dialect.Open();
        await connection.ExecuteAsync(new CommandDefinition(AuditInsert, entry with { At = Utc(entry.At) }, cancellationToken: cancellation)).ConfigureAwait(false);
    }

    /// <summary>
    /// Each assessment's stored JSON, made before the transaction opens: serialising is a good part of a
    /// batch chunk's commit and needs no connection, so a chunk's documents are made on every core, and the
    /// single writer is not held meanwhile.
    /// </summary>
    private static string[] Documents(IReadOnlyList<StudentAssessment> assessments)
    {
        var documents = new string[assessments.Count];
        if (assessments.Count < ParallelDocumentsFrom)
        {
            for (int i = 0; i < documents.Length; i++)
            {
                documents[i] = AssessmentJson.Serialize(assessments[i]);
            }
        }
        else
        {
            Parallel.For(0, documents.Length, i => documents[i] = AssessmentJson.Serialize(assessments[i]));
        }

        return documents;
    }

    private static async Task<IReadOnlyList<StudentAssessment>> InsertAssessments(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<StudentAssessment> assessments, string[] documents, CancellationToken cancellation)
    {
        if (connection is Npgsql.NpgsqlConnection postgres)
        {
            return await ArrayAssessmentInsert.RunAsync(postgres, (Npgsql.NpgsqlTransaction)transaction, assessments, documents, cancellation).ConfigureAwait(false);
        }

        // SQLite is in process: a prepared statement per row costs no round trip.
        var stored = new List<StudentAssessment>(assessments.Count);
        await using var insert = new RepeatedCommand(connection, transaction,
            "INSERT INTO assessments (student_id, assessed_at, job_id, evidence_version, coverage, feature_set_version, fusion_version, payload, " +
            "feedback_source, feedback_reason, tokens_in, tokens_out) " +
            "VALUES (@student, @at, @job, @evidence, @coverage, @features, @fusion, @payload, @source, @reason, @tokensIn, @tokensOut) RETURNING id",
            "student", "at", "job", "evidence", "coverage", "features", "fusion", "payload", "source", "reason", "tokensIn", "tokensOut");
        // One statement per assessment for all its skills (commands cached by skill count).
        var scoreCommands = new Dictionary<int, RepeatedCommand>();
        await using var assessed = new RepeatedCommand(connection, transaction,
            "UPDATE students SET assessed_version = @version WHERE id = @id AND assessed_version < @version", "version", "id");
        try
        {
            for (int n = 0; n < assessments.Count; n++)
            {
                var a = assessments[n];
                var at = Utc(a.AssessedAt);
                long id = Convert.ToInt64(await insert.ScalarAsync(cancellation,
                    a.StudentId, at, a.JobId, a.EvidenceVersion, a.Coverage, a.FeatureSetVersion, a.FusionVersion, documents[n],
                    a.Feedback.Source, a.Feedback.Reason, a.Feedback.TokensIn, a.Feedback.TokensOut).ConfigureAwait(false), CultureInfo.InvariantCulture);
                if (a.Skills.Count > 0)
                {
                    if (!scoreCommands.TryGetValue(a.Skills.Count, out var score))
                    {
                        scoreCommands[a.Skills.Count] = score = SkillScoreInsert(connection, transaction, a.Skills.Count);
                    }

                    var values = new object?[a.Skills.Count * 8];
                    for (int k = 0; k < a.Skills.Count; k++)
                    {
                        var skill = a.Skills[k];
                        (values[k * 8], values[(k * 8) + 1], values[(k * 8) + 2], values[(k * 8) + 3]) = (id, skill.Skill, a.StudentId, at);
                        (values[(k * 8) + 4], values[(k * 8) + 5], values[(k * 8) + 6], values[(k * 8) + 7]) = (skill.Score, skill.Fused, skill.Confidence, skill.ModelVersion);
                    }

                    await score.ExecuteAsync(cancellation, values).ConfigureAwait(false);
                }

                if (a.AllSkills)
                {
                    await assessed.ExecuteAsync(cancellation, a.EvidenceVersion, a.StudentId).ConfigureAwait(false);
                }

                stored.Add(a with { Id = id });
            }
        }
        finally
        {
            foreach (var command in scoreCommands.Values)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        return stored;
    }

    private static RepeatedCommand SkillScoreInsert(DbConnection connection, DbTransaction transaction, int skills)
    {
        string[] columns = ["assessment", "skill", "student", "at", "score", "fused", "confidence", "model"];
        var names = Enumerable.Range(0, skills).SelectMany(k => columns.Select(c => $"{c}{k}")).ToArray();
        string values = string.Join(", ", Enumerable.Range(0, skills).Select(k => "(" + string.Join(", ", columns.Select(c => $"@{c}{k}")) + ")"));
        return new RepeatedCommand(connection, transaction,
            $"INSERT INTO skill_scores (assessment_id, skill, student_id, assessed_at, score, fused, confidence, model_version) VALUES {values}", names);
    }

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

    internal const string AuditInsert =
        "INSERT INTO audit_log (at, actor, action, subject, before_value, after_value) VALUES (@At, @Actor, @Action, @Subject, @Before, @After)";

    // Every table holding a student's data by student_id (the roster row itself is deleted last).
    private static readonly string[] StudentTables =
        ["utterances", "event_blocks", "teacher_ratings", "student_features", "skill_scores", "assessments", "job_failures", "accuracy_feedback", "feedback_cache"];

    // A student's latest score in a skill (an assessment of one skill is the latest for that skill only).
    private const string LatestScore =
        "k.assessment_id = (SELECT MAX(k2.assessment_id) FROM skill_scores k2 WHERE k2.student_id = k.student_id AND k2.skill = k.skill)";

    // A student as StudentRecord reads it: these columns (ReadStudent's order) from these tables.
    private const string StudentColumns = "s.id, s.first_name, s.last_name, s.grade, s.class_id, c.name, c.school_id, sc.district_id, c.teacher_id";
    private const int StudentColumnCount = 9;
    private const string StudentFrom = "FROM students s LEFT JOIN classes c ON c.id = s.class_id LEFT JOIN schools sc ON sc.id = c.school_id";
    private const string StudentSelect = $"SELECT {StudentColumns} {StudentFrom}";

    private static StudentRecord ReadStudent(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), (int)SqlValues.Int64(r, 3), r.GetString(4),
        SqlValues.NullableString(r, 5), SqlValues.NullableString(r, 6), SqlValues.NullableString(r, 7), SqlValues.NullableString(r, 8));

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

    private static DateTime FromMs(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms);

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

    private static string Ticks(DateTime at) => Utc(at).Ticks.ToString(CultureInfo.InvariantCulture);

    internal static DateTime Utc(DateTime at) => at.Kind switch
    {
        DateTimeKind.Utc => at,
        DateTimeKind.Local => at.ToUniversalTime(),
        _ => DateTime.SpecifyKind(at, DateTimeKind.Utc),
    };

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static long ToMs(DateTime at) => new DateTimeOffset(Utc(at)).ToUnixTimeMilliseconds();
}
