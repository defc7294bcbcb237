using Dapper;
using Skillscope.Assessment.Assessing;
using Skillscope.Trees.Metrics;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>The monitoring page's summary of recent scores, read from the stored skill scores.</summary>
internal sealed class SqlScoreMonitor(SqlDialect dialect) : IScoreMonitor
{
    private readonly SqlDialect _dialect = dialect;

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

    public Task<IReadOnlyList<RatedScore>> RatedScoresAsync(string skill, DateTime since, int max, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "WITH pairs AS MATERIALIZED (SELECT k.assessment_id, k.model_version, k.fused, " +
            "(SELECT AVG(CAST(r.rating AS DOUBLE PRECISION)) FROM teacher_ratings r WHERE r.student_id = k.student_id AND r.skill = k.skill) AS rating " +
            "FROM skill_scores k WHERE k.skill = @skill AND k.assessed_at >= @since) " +
            "SELECT model_version, fused, rating FROM pairs WHERE rating IS NOT NULL ORDER BY assessment_id DESC LIMIT @max",
            new { skill, since = Utc(since), max },
            r => new RatedScore(r.GetString(0), SqlValues.Double(r, 1), SqlValues.Double(r, 2)), cancellation);
}
