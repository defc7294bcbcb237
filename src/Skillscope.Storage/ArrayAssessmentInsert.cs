using Npgsql;
using NpgsqlTypes;
using Skillscope.Assessment.Assessing;

namespace Skillscope.Storage;

/// <summary>
/// A chunk of assessments into PostgreSQL in four statements, whatever its size: ids taken from the
/// table's identity sequence, then the assessments, their skill scores and the students' assessed
/// versions each as one statement over arrays. Row by row, a 1,000-student chunk was 3,000 round trips
/// to the server; the client's share of a night's CPU on PostgreSQL was mostly spent on them (sockets,
/// one execution each), while SQLite, in process, needs no such batching.
/// </summary>
internal static class ArrayAssessmentInsert
{
    public static async Task<IReadOnlyList<StudentAssessment>> RunAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StudentAssessment> assessments, string[] documents, CancellationToken cancellation)
    {
        int n = assessments.Count;
        if (n == 0)
        {
            return [];
        }

        var ids = new long[n];
        await using (var take = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('assessments', 'id')) FROM generate_series(1, @n)", connection, transaction))
        {
            take.Parameters.AddWithValue("n", n);
            await using var reader = await take.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
            for (int i = 0; await reader.ReadAsync(cancellation).ConfigureAwait(false); i++)
            {
                ids[i] = reader.GetInt64(0);
            }
        }

        var students = new string[n];
        var at = new DateTime[n];
        var jobs = new string?[n];
        var evidence = new long[n];
        var coverage = new double[n];
        var featureSets = new string[n];
        var fusion = new string[n];
        var sources = new string?[n];
        var reasons = new string?[n];
        var tokensIn = new long?[n];
        var tokensOut = new long?[n];
        int scores = 0, allSkills = 0;
        for (int i = 0; i < n; i++)
        {
            var a = assessments[i];
            (students[i], at[i], jobs[i], evidence[i], coverage[i]) = (a.StudentId, SqlTime.Utc(a.AssessedAt), a.JobId, a.EvidenceVersion, a.Coverage);
            (featureSets[i], fusion[i], sources[i], reasons[i]) = (a.FeatureSetVersion, a.FusionVersion, a.Feedback.Source, a.Feedback.Reason);
            (tokensIn[i], tokensOut[i]) = (a.Feedback.TokensIn, a.Feedback.TokensOut);
            scores += a.Skills.Count;
            allSkills += a.AllSkills ? 1 : 0;
        }

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO assessments (id, student_id, assessed_at, job_id, evidence_version, coverage, feature_set_version, fusion_version, payload, " +
            "feedback_source, feedback_reason, tokens_in, tokens_out) OVERRIDING SYSTEM VALUE " +
            "SELECT * FROM unnest(@ids, @students, @at, @jobs, @evidence, @coverage, @featureSets, @fusion, @payloads, @sources, @reasons, @tokensIn, @tokensOut)",
            connection, transaction))
        {
            Add(insert, "ids", ids, NpgsqlDbType.Bigint);
            Add(insert, "students", students, NpgsqlDbType.Text);
            Add(insert, "at", at, NpgsqlDbType.TimestampTz);
            Add(insert, "jobs", jobs, NpgsqlDbType.Text);
            Add(insert, "evidence", evidence, NpgsqlDbType.Bigint);
            Add(insert, "coverage", coverage, NpgsqlDbType.Double);
            Add(insert, "featureSets", featureSets, NpgsqlDbType.Text);
            Add(insert, "fusion", fusion, NpgsqlDbType.Text);
            Add(insert, "payloads", documents, NpgsqlDbType.Text);
            Add(insert, "sources", sources, NpgsqlDbType.Text);
            Add(insert, "reasons", reasons, NpgsqlDbType.Text);
            Add(insert, "tokensIn", tokensIn, NpgsqlDbType.Bigint);
            Add(insert, "tokensOut", tokensOut, NpgsqlDbType.Bigint);
            await insert.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        if (scores > 0)
        {
            await InsertScoresAsync(connection, transaction, assessments, ids, at, scores, cancellation).ConfigureAwait(false);
        }

        if (allSkills > 0)
        {
            var assessedIds = new string[allSkills];
            var versions = new long[allSkills];
            for (int i = 0, k = 0; i < n; i++)
            {
                if (assessments[i].AllSkills)
                {
                    (assessedIds[k], versions[k]) = (students[i], evidence[i]);
                    k++;
                }
            }

            await using var assessed = new NpgsqlCommand(
                "UPDATE students s SET assessed_version = u.version FROM unnest(@ids, @versions) AS u(id, version) WHERE s.id = u.id AND s.assessed_version < u.version",
                connection, transaction);
            Add(assessed, "ids", assessedIds, NpgsqlDbType.Text);
            Add(assessed, "versions", versions, NpgsqlDbType.Bigint);
            await assessed.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        var stored = new StudentAssessment[n];
        for (int i = 0; i < n; i++)
        {
            stored[i] = assessments[i] with { Id = ids[i] };
        }

        return stored;
    }

    private static async Task InsertScoresAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StudentAssessment> assessments,
        long[] ids, DateTime[] at, int count, CancellationToken cancellation)
    {
        var assessmentIds = new long[count];
        var skills = new string[count];
        var students = new string[count];
        var times = new DateTime[count];
        var score = new double[count];
        var fused = new double[count];
        var confidence = new double[count];
        var versions = new string[count];
        int k = 0;
        for (int i = 0; i < assessments.Count; i++)
        {
            foreach (var skill in assessments[i].Skills)
            {
                (assessmentIds[k], skills[k], students[k], times[k]) = (ids[i], skill.Skill, assessments[i].StudentId, at[i]);
                (score[k], fused[k], confidence[k], versions[k]) = (skill.Score, skill.Fused, skill.Confidence, skill.ModelVersion);
                k++;
            }
        }

        await using var insert = new NpgsqlCommand(
            "INSERT INTO skill_scores (assessment_id, skill, student_id, assessed_at, score, fused, confidence, model_version) " +
            "SELECT * FROM unnest(@ids, @skills, @students, @at, @score, @fused, @confidence, @versions)", connection, transaction);
        Add(insert, "ids", assessmentIds, NpgsqlDbType.Bigint);
        Add(insert, "skills", skills, NpgsqlDbType.Text);
        Add(insert, "students", students, NpgsqlDbType.Text);
        Add(insert, "at", times, NpgsqlDbType.TimestampTz);
        Add(insert, "score", score, NpgsqlDbType.Double);
        Add(insert, "fused", fused, NpgsqlDbType.Double);
        Add(insert, "confidence", confidence, NpgsqlDbType.Double);
        Add(insert, "versions", versions, NpgsqlDbType.Text);
        await insert.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    private static void Add(NpgsqlCommand command, string name, Array values, NpgsqlDbType elementType) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | elementType) { Value = values });
}
