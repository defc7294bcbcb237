using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>Behaviour events stored as blocks: the format, and the upgrade from a row per event.</summary>
public sealed class EventBlockTests
{
    [Fact]
    public void Every_event_comes_back_as_it_went_in()
    {
        var random = new Random(7);
        string[] words = ["game-1", "task \"7\", part 2", "", "Ça va? 見て 🙂", "response", "x"];
        for (int round = 0; round < 200; round++)
        {
            int count = random.Next(0, 300);
            var events = new List<BehaviorEvent>(count);
            var keys = new List<string?>(count);
            for (int i = 0; i < count; i++)
            {
                // Times anywhere in range, in any order (differences of either sign, to the tick).
                var at = new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc);
                events.Add(new BehaviorEvent("st1", words[random.Next(words.Length)], at, BehaviorKinds.All[random.Next(BehaviorKinds.All.Length)],
                    random.Next(3) == 0 ? null : words[random.Next(words.Length)],
                    random.Next(3) == 0 ? null : random.NextDouble() * 1e6,
                    random.Next(4) == 0 ? $"source-{i}" : null));
                keys.Add(random.Next(5) == 0 ? $"legacy-{i}" : null);
            }

            var decoded = new List<BehaviorEvent>();
            var decodedKeys = new List<string?>();
            EventBlock.Decode("st1", EventBlock.Encode(events, keys), decoded, decodedKeys);
            Assert.Equal(events, decoded);
            Assert.Equal(keys, decodedKeys);
        }
    }

    [Fact]
    public void Damaged_bytes_fail_as_invalid_data_and_never_with_another_exception()
    {
        var at = new DateTime(2026, 9, 8, 19, 39, 32, DateTimeKind.Utc);
        var events = Enumerable.Range(0, 50).Select(i => new BehaviorEvent("st1", $"s{i % 3}", at.AddSeconds(i * 7), "retry", i % 2 == 0 ? "t1" : null, i % 3 == 0 ? i : null)).ToList();
        byte[] block = EventBlock.Encode(events);
        var random = new Random(11);
        for (int round = 0; round < 5000; round++)
        {
            byte[] damaged = round % 2 == 0 ? block[..random.Next(block.Length)] : (byte[])block.Clone();
            if (round % 2 == 1)
            {
                damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            }

            var decoded = new List<BehaviorEvent>();
            try
            {
                EventBlock.Decode("st1", damaged, decoded);
            }
            catch (InvalidDataException)
            {
                continue;
            }

            // Damage a block cannot detect (a time, a latency or a string changed for another valid one)
            // still reads as the same number of events: the structure itself is checked.
            Assert.Equal(events.Count, decoded.Count);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Events_stored_a_row_each_are_converted_on_upgrade_and_a_reimport_adds_nothing(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var generator = new DistrictGenerator(5, SkillCatalog.Default);
        string district = Path.Combine(stores.Directory, "district");
        DistrictWriter.Write(generator, generator.Roster(20), district, SkillCatalog.Default.Skills);
        var importer = new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default);
        await importer.ImportDirectoryAsync(district);
        var store = stores.Store.Assessments;
        var ids = await store.Jobs.StudentIdsAsync(null, 100, staleOnly: false);

        // Two events the source system named: identified by that id alone.
        var at = new DateTime(2026, 10, 5, 9, 0, 0, 123, DateTimeKind.Utc).AddTicks(4567);
        BehaviorEvent[] named = [new(ids[0], "game-x", at, "retry", "t1", null, "ev-1"), new(ids[0], "game-x", at.AddSeconds(3), "hint_used", "t1", null, "ev-2")];
        Assert.Equal(2, (await store.Evidence.AddEvidenceAsync([], named, [])).Added);
        var before = await store.Evidence.LoadEvidenceAsync(ids);

        // The database as the version before blocks left it: a row per event (times in milliseconds,
        // keyed by the content hash of the time to the tick), migration 15 not applied.
        await using (var connection = Open(stores, kind))
        {
            await Execute(connection, """
                CREATE TABLE behavior_events (
                    student_id TEXT NOT NULL, id TEXT NOT NULL, session_id TEXT NOT NULL, at_ms BIGINT NOT NULL, kind TEXT NOT NULL,
                    task_id TEXT NULL, latency_ms DOUBLE PRECISION NULL, PRIMARY KEY (student_id, id))
                """);
            foreach (var student in before)
            {
                foreach (var e in student.Events)
                {
                    await Execute(connection, "INSERT INTO behavior_events VALUES (@s, @id, @session, @at, @kind, @task, @latency)",
                        ("s", e.StudentId), ("id", SqlEvidenceStore.LegacyEventKey(e)), ("session", e.SessionId),
                        ("at", new DateTimeOffset(e.At).ToUnixTimeMilliseconds()), ("kind", e.Kind), ("task", e.TaskId), ("latency", e.LatencyMs));
                }
            }

            await Execute(connection, "DROP TABLE event_blocks");
            await Execute(connection, "ALTER TABLE students DROP COLUMN event_blocks");
            await Execute(connection, "DELETE FROM schema_migrations WHERE version = 15");
        }

        await stores.Store.MigrateAsync();
        var after = await store.Evidence.LoadEvidenceAsync(ids);
        Assert.Equal(before.Select(s => s.Events.Count), after.Select(s => s.Events.Count));
        Assert.Equal(
            before.SelectMany(s => s.Events).Select(e => (e.StudentId, e.SessionId, e.Kind, e.TaskId, e.LatencyMs, e.At.Ticks / TimeSpan.TicksPerMillisecond)),
            after.SelectMany(s => s.Events).Select(e => (e.StudentId, e.SessionId, e.Kind, e.TaskId, e.LatencyMs, e.At.Ticks / TimeSpan.TicksPerMillisecond)));

        // The same files again: every event is known by the key it had before the upgrade (the named ones
        // by their id, even sent with another time).
        var again = await importer.ImportFileAsync(ImportKind.Events, Path.Combine(district, "events.jsonl"));
        Assert.Equal(0, again.Written);
        Assert.Equal(again.Rows, again.Unchanged);
        Assert.Equal(0, (await store.Evidence.AddEvidenceAsync([], [named[0], named[1] with { At = at.AddMinutes(1) }], [])).Added);
        Assert.Equal(before.Sum(s => s.Events.Count), (await store.Evidence.LoadEvidenceAsync(ids)).Sum(s => s.Events.Count));
    }

    [Fact]
    public async Task A_damaged_gzip_file_is_named_and_the_rows_before_the_damage_are_kept()
    {
        await using var stores = await TestStores.CreateAsync("sqlite");
        // Enough events (about 70,000) that whole batches are written before the damage.
        var generator = new DistrictGenerator(9, SkillCatalog.Default);
        string district = Path.Combine(stores.Directory, "district");
        DistrictWriter.Write(generator, generator.Roster(400), district, SkillCatalog.Default.Skills);
        var importer = new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default);
        foreach (var kind in new[] { ImportKind.Districts, ImportKind.Schools, ImportKind.Teachers, ImportKind.Classes, ImportKind.Students })
        {
            await importer.ImportFileAsync(kind, Path.Combine(district, ImportKinds.Name(kind) + ".csv"));
        }

        // The events compressed, then bytes in the middle of the compressed stream overwritten.
        string compressed = Path.Combine(stores.Directory, "events.jsonl.gz");
        using (var writer = ImportFile.CreateText(compressed, compress: true))
        {
            foreach (string line in File.ReadLines(Path.Combine(district, "events.jsonl")))
            {
                writer.WriteLine(line);
            }
        }

        byte[] bytes = File.ReadAllBytes(compressed);
        Array.Fill(bytes, (byte)0xFF, bytes.Length / 2, 64);
        File.WriteAllBytes(compressed, bytes);

        var failure = await Assert.ThrowsAsync<IOException>(() => importer.ImportFileAsync(ImportKind.Events, compressed));
        Assert.Contains("cannot be read as gzip", failure.Message, StringComparison.Ordinal);
        Assert.Contains(compressed, failure.Message, StringComparison.Ordinal);
        var ids = await stores.Store.Assessments.Jobs.StudentIdsAsync(null, 1000, staleOnly: false);
        int stored = (await stores.Store.Assessments.Evidence.LoadEvidenceAsync(ids)).Sum(s => s.Events.Count);
        Assert.InRange(stored, 1, File.ReadLines(Path.Combine(district, "events.jsonl")).Count() - 1);
    }

    private static DbConnection Open(TestStores stores, string kind)
    {
        DbConnection connection = kind == "sqlite"
            ? new SqliteConnection($"Data Source={Path.Combine(stores.Directory, "skillscope.db")};Pooling=False")
            : new NpgsqlConnection(stores.ConnectionString);
        connection.Open();
        return connection;
    }

    private static async Task Execute(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }
}
