namespace Skillscope.Storage;

/// <summary>The database schema, as numbered migrations applied once each, in order: the registry's, then the assessment tables.</summary>
internal static class RegistryMigrations
{
    public static IEnumerable<(long Version, string[] Statements)> All(SqlDialect dialect)
    {
        string timestamp = dialect.TimestampColumn;
        yield return (1,
        [
            $"""
            CREATE TABLE model_versions (
                name TEXT NOT NULL, version TEXT NOT NULL, sha256 TEXT NOT NULL, model_sha256 TEXT NOT NULL,
                store_path TEXT NOT NULL, metadata TEXT NOT NULL, registered_at {timestamp} NOT NULL, registered_by TEXT NOT NULL,
                PRIMARY KEY (name, version))
            """,
            $"""
            CREATE TABLE model_aliases (
                name TEXT NOT NULL, alias TEXT NOT NULL, version TEXT NOT NULL, previous_version TEXT NULL,
                updated_at {timestamp} NOT NULL, updated_by TEXT NOT NULL,
                PRIMARY KEY (name, alias),
                FOREIGN KEY (name, version) REFERENCES model_versions (name, version))
            """,
            """
            CREATE TABLE traffic_splits (
                name TEXT NOT NULL, position INTEGER NOT NULL, version TEXT NOT NULL, percent INTEGER NOT NULL,
                PRIMARY KEY (name, version),
                FOREIGN KEY (name, version) REFERENCES model_versions (name, version))
            """,
            $"""
            CREATE TABLE audit_log (
                id {dialect.IdentityColumn}, at {timestamp} NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                subject TEXT NOT NULL, before_value TEXT NULL, after_value TEXT NULL)
            """,
            $"""
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
                created_at {timestamp} NOT NULL, revoked_at {timestamp} NULL)
            """,
            "CREATE TABLE registry_revision (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL)",
            "INSERT INTO registry_revision (id, revision) VALUES (1, 0)",
        ]);
        yield return (2,
        [
            $"""
            CREATE TABLE entity_features (
                model TEXT NOT NULL, entity_id TEXT NOT NULL, features TEXT NOT NULL, updated_at {timestamp} NOT NULL,
                PRIMARY KEY (model, entity_id))
            """,
        ]);
        foreach (var migration in AssessmentMigrations.All(dialect))
        {
            yield return migration;
        }

        // Keys bound to a district (a tenant) or to a teacher reach only those students.
        yield return (9,
        [
            "ALTER TABLE api_keys ADD COLUMN teacher_id TEXT NULL",
            "ALTER TABLE api_keys ADD COLUMN district_id TEXT NULL",
        ]);

        // What replicas share lives in the database, not on a disk: each registered package's bytes (a
        // replica's models/ folder is only a cache it checks against the SHA-256), the fusion weights as
        // versioned rows, the data-protection key ring behind dashboard cookies and antiforgery tokens, and
        // the LLM calls made, so one budget holds for every replica together.
        yield return (10,
        [
            $"CREATE TABLE model_packages (sha256 TEXT PRIMARY KEY, bytes {dialect.BlobColumn} NOT NULL, bytes_sha256 TEXT NOT NULL, size BIGINT NOT NULL, stored_at {timestamp} NOT NULL)",
            $"""
            CREATE TABLE fusion_weights (
                version BIGINT PRIMARY KEY, document TEXT NOT NULL, updated_at {timestamp} NOT NULL, updated_by TEXT NOT NULL)
            """,
            $"CREATE TABLE data_protection_keys (name TEXT PRIMARY KEY, xml TEXT NOT NULL, stored_at {timestamp} NOT NULL)",
            $"CREATE TABLE llm_calls (id {dialect.IdentityColumn}, at {timestamp} NOT NULL)",
            "CREATE INDEX llm_calls_by_time ON llm_calls (at)",
        ]);

        // A batch job is split into ranges of student ids that any number of workers lease; the generation
        // grows with every lease and fences off a worker that lost its lease.
        yield return (11,
        [
            """
            CREATE TABLE job_partitions (
                job_id TEXT NOT NULL, partition_no INTEGER NOT NULL, after_id TEXT NULL, through_id TEXT NULL, cursor_id TEXT NULL,
                status TEXT NOT NULL, lease_owner TEXT NULL, lease_until_ms BIGINT NULL, generation BIGINT NOT NULL DEFAULT 0,
                processed BIGINT NOT NULL DEFAULT 0, failed BIGINT NOT NULL DEFAULT 0, elapsed_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
                PRIMARY KEY (job_id, partition_no))
            """,
        ]);

        // A stored assessment is about 13 KB of JSON: PostgreSQL's default compression (pglz) was half of
        // the server's CPU in a batch job; lz4 does it in a fraction of that for a few percent more bytes.
        yield return (12, dialect.FastCompression("assessments", "payload") is { } compression ? [compression] : []);

        // Unfinished jobs made before partitions get the job-level lease that keeps older processes off them
        // (see SqlJobStore.PartitionedJob): during a rolling upgrade both versions run at once.
        yield return (13,
        [
            $"UPDATE assessment_jobs SET lease_owner = '{SqlJobStore.PartitionedJob}', lease_until_ms = {SqlJobStore.PartitionedJobLease} " +
            "WHERE status IN ('queued', 'running')",
        ]);

        // Access that can be taken back: keys expire, are revoked and count their use; dashboard accounts
        // carry a security stamp (changed by a password reset, a new role or scope, disabling, "sign out
        // everywhere") and each sign-in is a session row that sign-out ends. Accounts from before get an
        // empty stamp, so cookies issued before this migration (which carry none) are refused.
        yield return (14,
        [
            $"ALTER TABLE api_keys ADD COLUMN expires_at {timestamp} NULL",
            $"ALTER TABLE api_keys ADD COLUMN last_used_at {timestamp} NULL",
            "ALTER TABLE api_keys ADD COLUMN requests BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE dashboard_users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE dashboard_users ADD COLUMN disabled_ms BIGINT NULL",
            "CREATE TABLE dashboard_sessions (id TEXT PRIMARY KEY, username TEXT NOT NULL, started_ms BIGINT NOT NULL, ended_ms BIGINT NULL)",
            "CREATE INDEX dashboard_sessions_by_start ON dashboard_sessions (started_ms)",
        ]);

        // Behaviour events move from a row each into blocks of one student's events (EventBlock): a night's
        // import wrote and re-read tens of millions of rows. The rows already stored are converted by
        // EventBlockMigration, which then drops their table. Each student counts their blocks, so an import
        // looks for stored events only where there are some (while a table is being filled PostgreSQL has no
        // statistics for it and answered "these students' blocks" with a scan of the whole table).
        yield return (EventBlockMigration.Version,
        [
            "ALTER TABLE students ADD COLUMN event_blocks INTEGER NOT NULL DEFAULT 0",
            $"CREATE TABLE event_blocks (student_id TEXT NOT NULL, block_id TEXT NOT NULL, events INTEGER NOT NULL, payload {dialect.BlobColumn} NOT NULL, PRIMARY KEY (student_id, block_id))",
            .. dialect.InlineRows("event_blocks") is { } inline ? new[] { inline } : [],
            .. dialect.FastCompression("event_blocks", "payload") is { } blockCompression ? new[] { blockCompression } : [],
        ]);

        // A rollback steps back through its alias's history, which it reads from the audit log by subject.
        // Partial: the log also holds every sign-in, erasure and key change, which this never reads.
        yield return (16,
        [
            "CREATE INDEX audit_log_alias_history ON audit_log (subject, id) WHERE action LIKE 'alias.%'",
        ]);

        // Monitoring keeps counts, never scored rows: a reference profile per version (bins and their counts),
        // and each process's running counts per hour in those bins, which a drift query sums.
        yield return (17,
        [
            $"""
            CREATE TABLE reference_profiles (
                model TEXT NOT NULL, version TEXT NOT NULL, source TEXT NOT NULL, created_at {timestamp} NOT NULL, profile TEXT NOT NULL,
                PRIMARY KEY (model, version))
            """,
            $"""
            CREATE TABLE live_profiles (
                model TEXT NOT NULL, version TEXT NOT NULL, hour_ms BIGINT NOT NULL, writer TEXT NOT NULL, rows_counted BIGINT NOT NULL,
                counts {dialect.BlobColumn} NOT NULL,
                PRIMARY KEY (model, version, hour_ms, writer))
            """,
        ]);

        // Alerts: rules as versioned documents (webhook secrets apart, protected, never audited), each
        // alert's state written over the revision read (replicas agree, a restart loses nothing), events
        // with a delivery per webhook stored in the same transaction, and one row naming when the next
        // evaluation is due, which one replica claims. Live counts gain rows per coverage slot, and each
        // process writes its request counts per minute for error-rate and latency rules.
        yield return (18,
        [
            $"ALTER TABLE live_profiles ADD COLUMN coverage {dialect.BlobColumn}",
            $"""
            CREATE TABLE request_counts (
                minute_ms BIGINT NOT NULL, writer TEXT NOT NULL, requests BIGINT NOT NULL, failures BIGINT NOT NULL, latency {dialect.BlobColumn} NOT NULL,
                PRIMARY KEY (minute_ms, writer))
            """,
            "CREATE TABLE alert_rules (version BIGINT PRIMARY KEY, document TEXT NOT NULL, updated_ms BIGINT NOT NULL, updated_by TEXT NOT NULL)",
            "CREATE TABLE alert_webhook_secrets (webhook TEXT PRIMARY KEY, secret TEXT NOT NULL)",
            "CREATE TABLE alert_evaluation (id INTEGER PRIMARY KEY, due_ms BIGINT NOT NULL)",
            "INSERT INTO alert_evaluation (id, due_ms) VALUES (1, 0)",
            """
            CREATE TABLE alert_states (
                rule_id TEXT NOT NULL, subject TEXT NOT NULL, status TEXT NOT NULL, since_ms BIGINT NOT NULL, fired_ms BIGINT,
                value DOUBLE PRECISION NOT NULL, threshold DOUBLE PRECISION NOT NULL, updated_ms BIGINT NOT NULL, revision BIGINT NOT NULL,
                PRIMARY KEY (rule_id, subject))
            """,
            $"""
            CREATE TABLE alert_events (
                id {dialect.IdentityColumn}, rule_id TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, type TEXT NOT NULL, at_ms BIGINT NOT NULL,
                value DOUBLE PRECISION NOT NULL, threshold DOUBLE PRECISION NOT NULL, message TEXT NOT NULL)
            """,
            $"""
            CREATE TABLE alert_deliveries (
                id {dialect.IdentityColumn}, event_id BIGINT NOT NULL, webhook_id TEXT NOT NULL, url TEXT NOT NULL, format TEXT NOT NULL, status TEXT NOT NULL,
                attempts INTEGER NOT NULL, created_ms BIGINT NOT NULL, next_ms BIGINT NOT NULL, delivered_ms BIGINT, last_error TEXT)
            """,
            "CREATE INDEX alert_deliveries_pending ON alert_deliveries (webhook_id, id) WHERE status = 'pending'",
        ]);

        // Shadow deployments: a model's candidate and the share of rows it scores again (part of the
        // registry, so a change bumps the revision every replica follows), and each process's comparisons
        // per hour (counts, sums and a sample of pairs, never the rows).
        yield return (19,
        [
            "CREATE TABLE shadow_deployments (name TEXT PRIMARY KEY, version TEXT NOT NULL, percent INTEGER NOT NULL, cuts TEXT NOT NULL)",
            $"""
            CREATE TABLE shadow_counts (
                model TEXT NOT NULL, candidate TEXT NOT NULL, served TEXT NOT NULL, hour_ms BIGINT NOT NULL, writer TEXT NOT NULL,
                rows_compared BIGINT NOT NULL, failures BIGINT NOT NULL, dropped BIGINT NOT NULL, abs_diff DOUBLE PRECISION NOT NULL, band_changes BIGINT NOT NULL,
                served_ns BIGINT NOT NULL, candidate_ns BIGINT NOT NULL, last_failure TEXT, samples {dialect.BlobColumn} NOT NULL,
                PRIMARY KEY (model, candidate, served, hour_ms, writer))
            """,
        ]);

        // Outcomes: what each version scored per minute and how much failed (every scoring path), the score
        // each entity last got and from which version, the outcomes reported for entities, and a split's
        // canary guard.
        yield return (20,
        [
            """
            CREATE TABLE version_counts (
                model TEXT NOT NULL, version TEXT NOT NULL, minute_ms BIGINT NOT NULL, writer TEXT NOT NULL,
                rows_scored BIGINT NOT NULL, rows_failed BIGINT NOT NULL, nanoseconds BIGINT NOT NULL,
                PRIMARY KEY (model, version, minute_ms, writer))
            """,
            "CREATE TABLE predictions (model TEXT NOT NULL, entity_id TEXT NOT NULL, version TEXT NOT NULL, score REAL NOT NULL, scored_ms BIGINT NOT NULL, PRIMARY KEY (model, entity_id))",
            """
            CREATE TABLE outcomes (
                model TEXT NOT NULL, entity_id TEXT NOT NULL, version TEXT NOT NULL, score REAL NOT NULL, label DOUBLE PRECISION NOT NULL, at_ms BIGINT NOT NULL,
                PRIMARY KEY (model, entity_id))
            """,
            "CREATE INDEX outcomes_at ON outcomes (model, at_ms)",
            "CREATE TABLE split_guards (name TEXT PRIMARY KEY, max_error_rate DOUBLE PRECISION, min_auc_delta DOUBLE PRECISION, min_outcomes INTEGER NOT NULL)",
        ]);

        // Failure rates per scoring call rather than per row (one failing call of many rows is one failure),
        // and webhook URLs kept as credentials (a Slack URL is one), protected like their secrets.
        yield return (21,
        [
            "ALTER TABLE version_counts ADD COLUMN calls BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE version_counts ADD COLUMN calls_failed BIGINT NOT NULL DEFAULT 0",
            "CREATE TABLE alert_webhook_urls (webhook TEXT PRIMARY KEY, url TEXT NOT NULL)",
        ]);

        // Event subscriptions (per district or for the whole installation) and one delivery row per event and
        // subscription, written in the transaction of the change it tells of. The URL is kept masked for
        // showing and protected for posting, like an alert webhook's.
        yield return (22,
        [
            """
            CREATE TABLE event_subscriptions (
                id TEXT PRIMARY KEY, district_id TEXT NULL, events TEXT NOT NULL, masked_url TEXT NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL,
                created_ms BIGINT NOT NULL, created_by TEXT NOT NULL)
            """,
            $"""
            CREATE TABLE event_deliveries (
                id {dialect.IdentityColumn}, subscription_id TEXT NOT NULL, type TEXT NOT NULL, subject TEXT NOT NULL, district_id TEXT NULL,
                assessment_id BIGINT NULL, occurred_ms BIGINT NOT NULL, data TEXT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
                created_ms BIGINT NOT NULL, next_ms BIGINT NOT NULL, delivered_ms BIGINT NULL, last_error TEXT NULL)
            """,
            "CREATE INDEX event_deliveries_by_subscription ON event_deliveries (subscription_id, id)",
            "CREATE INDEX event_deliveries_pending ON event_deliveries (subscription_id, id) WHERE status = 'pending'",
        ]);

        // Fusion weights fitted to teacher ratings, kept as proposals until an admin applies one.
        yield return (23,
        [
            $"""
            CREATE TABLE fusion_proposals (
                id {dialect.IdentityColumn}, created_ms BIGINT NOT NULL, created_by TEXT NOT NULL, base_version BIGINT NOT NULL, document TEXT NOT NULL,
                status TEXT NOT NULL, applied_ms BIGINT NULL, applied_by TEXT NULL)
            """,
        ]);

        // Retraining runs: one per scheduled time (the unique key is how replicas agree on who runs it), or by hand.
        yield return (24,
        [
            $"""
            CREATE TABLE retrain_runs (
                id {dialect.IdentityColumn}, scheduled_ms BIGINT NULL UNIQUE, started_ms BIGINT NOT NULL, finished_ms BIGINT NULL, actor TEXT NOT NULL,
                status TEXT NOT NULL, report TEXT NULL, message TEXT NULL)
            """,
        ]);

        // Each model's latest rollout: a challenger's stage on its way from the shadow to production.
        yield return (25,
        [
            """
            CREATE TABLE rollouts (
                model TEXT PRIMARY KEY, version TEXT NOT NULL, champion TEXT NOT NULL, run_id BIGINT NULL, stage TEXT NOT NULL, since_ms BIGINT NOT NULL,
                reason TEXT NOT NULL, updated_ms BIGINT NOT NULL)
            """,
        ]);

        // A district's own fusion weights, versioned per district (each version written once, as the installation's are).
        yield return (26,
        [
            """
            CREATE TABLE district_fusion_weights (
                district_id TEXT NOT NULL, version BIGINT NOT NULL, document TEXT NOT NULL, updated_ms BIGINT NOT NULL, updated_by TEXT NOT NULL,
                PRIMARY KEY (district_id, version))
            """,
        ]);

        // A district's own settings (bands, retention, LLM), versioned as its weights are; and the LLM-written texts
        // each district had per day, against the limit it set.
        yield return (27,
        [
            """
            CREATE TABLE district_settings (
                district_id TEXT NOT NULL, version BIGINT NOT NULL, document TEXT NOT NULL, updated_ms BIGINT NOT NULL, updated_by TEXT NOT NULL,
                PRIMARY KEY (district_id, version))
            """,
            "CREATE TABLE district_llm_usage (district_id TEXT NOT NULL, day TEXT NOT NULL, used BIGINT NOT NULL, PRIMARY KEY (district_id, day))",
        ]);

        // A fusion proposal may be a district's: fitted to its teachers' ratings, applied as its own weights.
        yield return (28, ["ALTER TABLE fusion_proposals ADD COLUMN district_id TEXT NULL"]);

        // A district's proposal fitted over the installation's weights (it had none of its own) says which version of them.
        yield return (29, ["ALTER TABLE fusion_proposals ADD COLUMN installation_version BIGINT NULL"]);
    }
}
