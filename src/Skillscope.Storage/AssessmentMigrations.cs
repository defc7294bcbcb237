namespace Skillscope.Storage;

/// <summary>Roster, evidence, assessments and batch jobs (migration 3 onwards).</summary>
internal static class AssessmentMigrations
{
    public static IEnumerable<(long Version, string[] Statements)> All(SqlDialect dialect)
    {
        string timestamp = dialect.TimestampColumn;
        yield return (3,
        [
            "CREATE TABLE districts (id TEXT PRIMARY KEY, name TEXT NOT NULL)",
            "CREATE TABLE schools (id TEXT PRIMARY KEY, district_id TEXT NOT NULL, name TEXT NOT NULL)",
            "CREATE TABLE teachers (id TEXT PRIMARY KEY, school_id TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL)",
            "CREATE TABLE classes (id TEXT PRIMARY KEY, school_id TEXT NOT NULL, name TEXT NOT NULL, grade INTEGER NOT NULL, teacher_id TEXT NOT NULL)",

            // evidence_version counts imports that brought the student new evidence; assessed_version is
            // the version their latest assessment read. A student is stale while the two differ.
            """
            CREATE TABLE students (
                id TEXT PRIMARY KEY, class_id TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL, grade INTEGER NOT NULL,
                evidence_version BIGINT NOT NULL DEFAULT 0, assessed_version BIGINT NOT NULL DEFAULT -1)
            """,
            "CREATE INDEX students_by_class ON students (class_id, last_name)",

            // Evidence rows are keyed by a hash of their content (or the source's id), so importing a file
            // twice adds nothing; the key starts with the student so that one student's rows are stored
            // together (a night's batch reads millions of them). Times are Unix milliseconds.
            $"""
            CREATE TABLE utterances (
                student_id TEXT NOT NULL, id TEXT NOT NULL, session_id TEXT NOT NULL, at_ms BIGINT NOT NULL, source TEXT NOT NULL, text TEXT NOT NULL,
                PRIMARY KEY (student_id, id)) {dialect.ClusteredTable}
            """,
            $"""
            CREATE TABLE behavior_events (
                student_id TEXT NOT NULL, id TEXT NOT NULL, session_id TEXT NOT NULL, at_ms BIGINT NOT NULL, kind TEXT NOT NULL,
                task_id TEXT NULL, latency_ms DOUBLE PRECISION NULL,
                PRIMARY KEY (student_id, id)) {dialect.ClusteredTable}
            """,
            $"""
            CREATE TABLE teacher_ratings (
                student_id TEXT NOT NULL, skill TEXT NOT NULL, teacher_id TEXT NOT NULL, at {timestamp} NOT NULL, rating INTEGER NOT NULL,
                PRIMARY KEY (student_id, skill, teacher_id, at))
            """,
            $"""
            CREATE TABLE assessments (
                id {dialect.IdentityColumn}, student_id TEXT NOT NULL, assessed_at {timestamp} NOT NULL, job_id TEXT NULL,
                evidence_version BIGINT NOT NULL, coverage DOUBLE PRECISION NOT NULL, feature_set_version TEXT NOT NULL,
                fusion_version TEXT NOT NULL, payload TEXT NOT NULL,
                UNIQUE (job_id, student_id))
            """,
            "CREATE INDEX assessments_by_student ON assessments (student_id, id)",
            $"""
            CREATE TABLE skill_scores (
                assessment_id BIGINT NOT NULL, skill TEXT NOT NULL, student_id TEXT NOT NULL, assessed_at {timestamp} NOT NULL,
                score DOUBLE PRECISION NOT NULL, fused DOUBLE PRECISION NOT NULL, confidence DOUBLE PRECISION NOT NULL, model_version TEXT NOT NULL,
                PRIMARY KEY (assessment_id, skill))
            """,
            "CREATE INDEX skill_scores_by_student ON skill_scores (student_id, skill)",
            $"""
            CREATE TABLE assessment_jobs (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, created_at {timestamp} NOT NULL, requested_by TEXT NOT NULL,
                total BIGINT NOT NULL, processed BIGINT NOT NULL DEFAULT 0, failed BIGINT NOT NULL DEFAULT 0, cursor_id TEXT NULL,
                started_at {timestamp} NULL, finished_at {timestamp} NULL, lease_owner TEXT NULL, lease_until_ms BIGINT NULL,
                elapsed_seconds DOUBLE PRECISION NOT NULL DEFAULT 0, message TEXT NULL)
            """,
            """
            CREATE TABLE job_failures (
                job_id TEXT NOT NULL, student_id TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL,
                PRIMARY KEY (job_id, student_id))
            """,
        ]);

        // Features are extracted when evidence arrives, so a night's batch reads 26 numbers per student
        // instead of all their evidence. A row is used only while its evidence version is the student's.
        yield return (4,
        [
            $"""
            CREATE TABLE student_features (
                student_id TEXT PRIMARY KEY, feature_set_version TEXT NOT NULL, evidence_version BIGINT NOT NULL,
                coverage DOUBLE PRECISION NOT NULL, vals {dialect.BlobColumn} NOT NULL, exemplars TEXT NOT NULL)
            """,
        ]);

        // LLM feedback by a hash of the redacted prompt, prompt version and model; times are Unix ms. The
        // student whose evidence wrote it is kept so that erasing the student erases the text too.
        yield return (5,
        [
            "CREATE TABLE feedback_cache (cache_key TEXT PRIMARY KEY, feedback TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, student_id TEXT NULL)",
            "CREATE INDEX feedback_cache_by_student ON feedback_cache (student_id)",
        ]);

        // Dashboard accounts: teachers (tied to the roster's teacher, who sees only their classes) and admins.
        yield return (6,
        [
            """
            CREATE TABLE dashboard_users (
                username TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL, teacher_id TEXT NULL,
                password_hash TEXT NOT NULL, updated_ms BIGINT NOT NULL)
            """,
            "CREATE INDEX classes_by_teacher ON classes (teacher_id)",
            $"""
            CREATE TABLE accuracy_feedback (
                id {dialect.IdentityColumn}, assessment_id BIGINT NOT NULL, student_id TEXT NOT NULL, username TEXT NOT NULL,
                at {dialect.TimestampColumn} NOT NULL, verdict TEXT NOT NULL, skills_off TEXT NOT NULL, comment TEXT NULL)
            """,
        ]);

        // Search reads one lower-cased column ("id first last") instead of lower-casing three per row:
        // a search over 100,000 students is one short scan. New rows get it lower-cased in .NET
        // (Unicode-aware); existing rows here with SQL's LOWER.
        yield return (7,
        [
            "ALTER TABLE students ADD COLUMN search_text TEXT NOT NULL DEFAULT ''",
            "UPDATE students SET search_text = LOWER(id || ' ' || first_name || ' ' || last_name)",
        ]);

        // Monitoring counts how feedback was written per period without reading the assessments' documents
        // (the index covers the query); rows stored before keep NULLs. A dashboard account may be bound to
        // one district (a tenant): it then sees that district's students only.
        yield return (8,
        [
            "ALTER TABLE assessments ADD COLUMN feedback_source TEXT NULL",
            "ALTER TABLE assessments ADD COLUMN feedback_reason TEXT NULL",
            "ALTER TABLE assessments ADD COLUMN tokens_in BIGINT NULL",
            "ALTER TABLE assessments ADD COLUMN tokens_out BIGINT NULL",
            "CREATE INDEX assessments_by_time ON assessments (assessed_at, feedback_source, feedback_reason, tokens_in, tokens_out)",
            "ALTER TABLE dashboard_users ADD COLUMN district_id TEXT NULL",
        ]);
    }
}
