using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Npgsql;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Tests;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>
/// What replicas share through the database rather than a disk: package bytes, fusion weights, the
/// data-protection key ring, the LLM call budget, and the announcements of changes.
/// </summary>
public sealed class SharedStateStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task A_machine_with_an_empty_cache_loads_a_registered_package_from_the_database_and_heals_a_damaged_copy(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var registry = new ModelRegistry(stores.Store, Path.Combine(stores.Directory, "models"));
        var record = await registry.RegisterAsync(TestModels.Package(version: "1.0.0", seed: 3), "ana");

        // Another machine: its own, empty cache folder.
        string otherCache = Path.Combine(stores.Directory, "other-machine");
        var cache = new PackageCache(stores.Store, otherCache);
        var loaded = await cache.LoadAsync(record);
        Assert.Equal(record.Sha256, loaded.Sha256);
        string copy = PackageCache.DirectoryOf(otherCache, record.Name, record.Version, record.Sha256);
        Assert.True(Directory.Exists(copy));

        // A damaged copy is passed over and replaced from the database.
        string schema = Path.Combine(copy, ModelPackage.SchemaFile);
        await File.WriteAllTextAsync(schema, (await File.ReadAllTextAsync(schema)).Replace("visits", "visitz", StringComparison.Ordinal));
        Assert.Equal(record.Sha256, (await cache.LoadAsync(record)).Sha256);
        Assert.Equal(record.Sha256, ModelPackage.Load(copy).Sha256);

        // Damaged bytes in the database are refused by a machine without a copy, with the reason.
        await ExecuteAsync(stores, kind, "UPDATE model_packages SET bytes = @bytes", Tamper((await stores.Store.GetPackageAsync(record.Sha256))!.Zip));
        var refused = await Assert.ThrowsAsync<PackageException>(() => new PackageCache(stores.Store, Path.Combine(stores.Directory, "third")).LoadAsync(record));
        Assert.Equal("checksum_mismatch", refused.Code);
        Assert.Contains("database", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task A_version_registered_before_packages_were_kept_in_the_database_is_uploaded_by_the_first_load(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var registry = new ModelRegistry(stores.Store, Path.Combine(stores.Directory, "models"));
        var record = await registry.RegisterAsync(TestModels.Package(version: "1.0.0", seed: 4), "ana");
        await ExecuteAsync(stores, kind, "DELETE FROM model_packages", null);

        var loaded = await new PackageCache(stores.Store, null).LoadAsync(record);
        Assert.Equal(record.Sha256, loaded.Sha256);
        Assert.NotNull(await stores.Store.GetPackageAsync(record.Sha256));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Fusion_weights_are_versioned_rows_and_two_replicas_saving_from_the_same_version_cannot_both_win(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var catalog = SkillCatalog.Default;
        var poll = TimeSpan.FromHours(1);
        using var first = await FusionWeightsTable.OpenAsync(stores.Store.FusionWeights, catalog, () => FusionWeights.Default(catalog), poll);
        using var second = await FusionWeightsTable.OpenAsync(stores.Store.FusionWeights, catalog, () => FusionWeights.Default(catalog), poll);
        Assert.Equal(1, first.Current.Version);

        var saved = await first.UpdateAsync(Change("empathy", 0.5), "ana", basedOn: 1);
        Assert.Equal(2, saved.Version);
        Assert.Equal(1, second.Current.Version);
        Assert.Equal(0.5, (await second.ReloadAsync("test")).For("empathy").Ml);

        // Both based on version 2: one is saved, the other told the weights changed, and nothing of it is kept.
        var outcomes = await Task.WhenAll(
            Outcome(() => first.UpdateAsync(Change("empathy", 0.4), "ana", basedOn: 2)),
            Outcome(() => second.UpdateAsync(Change("empathy", 0.3), "bo", basedOn: 2)));
        Assert.Single(outcomes, o => o == "saved");
        Assert.Single(outcomes, o => o == "version_conflict");
        Assert.Equal(3, (await first.ReloadAsync("test")).Version);
        Assert.Equal(3, (await second.ReloadAsync("test")).Version);

        // A stale base is refused even by a replica whose own copy is just as stale.
        Assert.Equal("version_conflict", (await Assert.ThrowsAsync<FusionWeightsException>(() => first.UpdateAsync(Change("empathy", 0.2), "ana", basedOn: 2))).Code);
        var audit = await stores.Store.ListAuditAsync();
        Assert.Equal(["fusion.update", "fusion.update", "fusion.initialise"], audit.Select(a => a.Action));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task The_data_protection_key_ring_is_shared_and_a_stored_key_never_changes(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var keys = stores.Store.DataProtectionKeys;
        keys.Add("key-a", "<key id=\"a\"/>");
        keys.Add("key-b", "<key id=\"b\"/>");
        keys.Add("key-a", "<key id=\"changed\"/>");
        Assert.Equal(["<key id=\"a\"/>", "<key id=\"b\"/>"], stores.Store.DataProtectionKeys.All().Order(StringComparer.Ordinal));
    }

    [Theory]
    [PostgresData]
    public async Task Replicas_sharing_the_llm_budget_never_exceed_it_together(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var replicas = Enumerable.Range(0, 3).Select(_ => stores.Store.SharedLlmCallBudget(perMinute: 7, perHour: 100)!).ToList();
        var taken = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => replicas[i % 3].TryTakeAsync().AsTask()));
        Assert.Equal(7, taken.Count(t => t));

        Assert.Null(SqlRegistryStore.Sqlite(Path.Combine(stores.Directory, "one-machine.db")).SharedLlmCallBudget(7, 100));
    }

    [Theory]
    [PostgresData]
    public async Task Changes_are_announced_to_listeners_as_they_commit(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        using var listener = SqlRegistryStore.Postgres(stores.ConnectionString!);
        var topics = new ConcurrentQueue<string>();
        var connected = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var listening = listener.ListenAsync(topic =>
        {
            topics.Enqueue(topic);
            return Task.CompletedTask;
        }, () =>
        {
            connected.TrySetResult();
            return Task.CompletedTask;
        }, stop.Token);
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var registry = new ModelRegistry(stores.Store, Path.Combine(stores.Directory, "models"));
        await registry.RegisterAsync(TestModels.Package(version: "1.0.0", seed: 1), "ana");
        using var weights = await FusionWeightsTable.OpenAsync(stores.Store.FusionWeights, SkillCatalog.Default, () => FusionWeights.Default(SkillCatalog.Default), TimeSpan.FromHours(1));
        await weights.UpdateAsync(Change("empathy", 0.5), "ana");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (topics.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal([ClusterChanges.Registry, ClusterChanges.Fusion, ClusterChanges.Fusion], topics);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listening);
    }

    private static Dictionary<string, SkillWeights> Change(string skill, double ml) =>
        new(StringComparer.Ordinal) { [skill] = new SkillWeights(ml, (1 - ml) / 2, (1 - ml) / 2, 0) };

    private static async Task<string> Outcome(Func<Task<FusionWeights>> update)
    {
        try
        {
            await update();
            return "saved";
        }
        catch (FusionWeightsException exception)
        {
            return exception.Code;
        }
    }

    private static byte[] Tamper(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        copy[copy.Length / 3] ^= 0x5A;
        return copy;
    }

    private static async Task ExecuteAsync(TestStores stores, string kind, string sql, byte[]? bytes)
    {
        if (kind == "sqlite")
        {
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(stores.Directory, "skillscope.db")}");
            await connection.OpenAsync();
            await using var command = new SqliteCommand(sql, connection);
            if (bytes is not null)
            {
                command.Parameters.AddWithValue("@bytes", bytes);
            }

            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var postgres = new NpgsqlConnection(stores.ConnectionString);
        await postgres.OpenAsync();
        await using var update = new NpgsqlCommand(sql, postgres);
        if (bytes is not null)
        {
            update.Parameters.AddWithValue("bytes", bytes);
        }

        await update.ExecuteNonQueryAsync();
    }
}
