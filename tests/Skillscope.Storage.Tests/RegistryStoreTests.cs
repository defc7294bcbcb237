using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Tests;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>The registry's durable state behaves the same on SQLite and PostgreSQL.</summary>
public sealed class RegistryStoreTests
{
    private static readonly DateTime At = new(2026, 11, 22, 9, 30, 15, DateTimeKind.Utc);

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Migrating_again_and_from_several_processes_at_once_is_harmless(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var again = kind == "sqlite"
            ? SqlRegistryStore.Sqlite(Path.Combine(stores.Directory, "skillscope.db"))
            : SqlRegistryStore.Postgres(stores.ConnectionString!);
        using (again)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => again.MigrateAsync()));
            Assert.True(await again.PingAsync());
            Assert.Equal(0, await again.GetRevisionAsync());
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Versions_are_immutable_and_every_change_is_audited_with_before_and_after(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store;
        var v1 = new ModelVersionRecord("leads", "1.0.0", "aa", "bb", "/store/leads/1", "{}", At, "ana");
        Assert.True(await store.AddVersionAsync(v1, Audit("model.register", "leads@1.0.0", null, "aa")));
        Assert.False(await store.AddVersionAsync(v1 with { Sha256 = "cc" }, Audit("model.register", "leads@1.0.0", null, "cc")));
        Assert.Equal(v1, await store.GetVersionAsync("leads", "1.0.0"));
        Assert.Null(await store.GetVersionAsync("leads", "9.9.9"));

        var v2 = v1 with { Version = "1.1.0", Sha256 = "dd", RegisteredAt = At.AddMinutes(1) };
        await store.AddVersionAsync(v2, Audit("model.register", "leads@1.1.0", null, "dd"));
        await store.SetAliasAsync(new AliasRecord("leads", "production", "1.0.0", null, At, "ana"), Audit("alias.promote", "leads:production", null, "1.0.0"));
        await store.SetAliasAsync(new AliasRecord("leads", "production", "1.1.0", "1.0.0", At, "bo"), Audit("alias.promote", "leads:production", "1.0.0", "1.1.0"));

        var alias = Assert.Single(await store.ListAliasesAsync("leads"));
        Assert.Equal(("1.1.0", "1.0.0", "bo"), (alias.Version, alias.PreviousVersion, alias.UpdatedBy));
        Assert.Equal(DateTimeKind.Utc, alias.UpdatedAt.Kind);
        Assert.Equal(["1.0.0", "1.1.0"], (await store.ListVersionsAsync("leads")).Select(v => v.Version));

        var audit = await store.ListAuditAsync();
        Assert.Equal(4, audit.Count);
        Assert.Equal(("alias.promote", "1.0.0", "1.1.0"), (audit[0].Action, audit[0].Before, audit[0].After));
        Assert.Equal(4, await store.GetRevisionAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Splits_keep_their_order_and_can_be_cleared(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store;
        foreach (var version in new[] { "1.0.0", "2.0.0" })
        {
            await store.AddVersionAsync(new ModelVersionRecord("leads", version, version, version, "/x", "{}", At, "ana"), Audit("model.register", version, null, version));
        }

        await store.SetSplitAsync("leads", [new SplitShare("2.0.0", 10), new SplitShare("1.0.0", 90)], new SplitGuard(0.05, null, 300), Audit("split.set", "leads", null, "x"));
        var split = Assert.Single(await store.ListSplitsAsync());
        Assert.Equal([new SplitShare("2.0.0", 10), new SplitShare("1.0.0", 90)], split.Shares);
        Assert.Equal(new SplitGuard(0.05, null, 300), split.Guard);

        await store.SetSplitAsync("leads", [], null, Audit("split.clear", "leads", "x", null));
        Assert.Empty(await store.ListSplitsAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Api_keys_are_found_by_hash(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var key = new ApiKeyRecord("k1", "scorer", "service", "hash-1", At, null);
        await stores.Store.AddApiKeyAsync(key, Audit("key.create", "k1", null, "service"));

        Assert.Equal(key, await stores.Store.FindApiKeyAsync("hash-1"));
        Assert.Null(await stores.Store.FindApiKeyAsync("hash-2"));
        var bound = new ApiKeyRecord("k2", "a teacher", "teacher", "hash-3", At, null) { TeacherId = "t7", DistrictId = "d2" };
        await stores.Store.AddApiKeyAsync(bound, Audit("key.create", "k2", null, "teacher"));
        Assert.Equal(bound, await stores.Store.FindApiKeyAsync("hash-3"));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Api_keys_expire_are_revoked_replaced_and_count_their_use_from_several_replicas(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store;
        var key = new ApiKeyRecord("k1", "scorer", "service", "hash-1", At, null) { ExpiresAt = At.AddDays(90) };
        await store.AddApiKeyAsync(key, Audit("key.create", "k1", null, "service"));
        Assert.Equal(key, await store.FindApiKeyAsync("hash-1"));
        Assert.False(key.IsExpired(At.AddDays(89)));
        Assert.True(key.IsExpired(At.AddDays(90)));

        // Two replicas report out of order: counts add up, the last use only moves forward.
        await store.RecordApiKeyUseAsync([new ApiKeyUse("k1", 5, At.AddMinutes(10)), new ApiKeyUse("nobody", 1, At)]);
        await store.RecordApiKeyUseAsync([new ApiKeyUse("k1", 2, At.AddMinutes(3))]);
        var used = Assert.Single(await store.ListApiKeysAsync());
        Assert.Equal((7L, At.AddMinutes(10)), (used.Requests, used.LastUsedAt));

        var replacement = new ApiKeyRecord("k2", "scorer", "service", "hash-2", At.AddHours(1), null) { ExpiresAt = At.AddHours(1).AddDays(90) };
        Assert.True(await store.ReplaceApiKeyAsync("k1", replacement, Audit("key.rotate", "k1", null, "k2")));
        Assert.Null(await store.FindApiKeyAsync("hash-1"));
        Assert.Equal(replacement, await store.FindApiKeyAsync("hash-2"));
        Assert.False(await store.ReplaceApiKeyAsync("k1", replacement with { Id = "k3", KeyHash = "hash-3" }, Audit("key.rotate", "k1", null, "k3")));
        Assert.Null(await store.FindApiKeyAsync("hash-3"));

        Assert.True(await store.RevokeApiKeyAsync("k2", At.AddHours(2), Audit("key.revoke", "k2", null, null)));
        Assert.False(await store.RevokeApiKeyAsync("k2", At.AddHours(3), Audit("key.revoke", "k2", null, null)));
        var listed = await store.ListApiKeysAsync();
        Assert.Equal(["k2", "k1"], listed.Select(k => k.Id));
        Assert.Equal([At.AddHours(2), At.AddHours(1)], listed.Select(k => k.RevokedAt));
        Assert.Equal(["key.revoke", "key.rotate", "key.create"], (await store.ListAuditAsync(10)).Select(a => a.Action).Take(3));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task The_registry_service_registers_promotes_rolls_back_and_splits(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var registry = new ModelRegistry(stores.Store, Path.Combine(stores.Directory, "models"));
        var first = await registry.RegisterAsync(TestModels.Package(version: "1.0.0", seed: 1), "ana");
        Assert.Equal(first, await registry.RegisterAsync(TestModels.Package(version: "1.0.0", seed: 1), "ana"));
        Assert.Equal("version_exists", (await Assert.ThrowsAsync<RegistryException>(() => registry.RegisterAsync(TestModels.Package(version: "1.0.0", seed: 2), "ana"))).Code);
        await registry.RegisterAsync(TestModels.Package(version: "1.1.0", seed: 2), "ana");

        Assert.Equal("version_not_found", (await Assert.ThrowsAsync<RegistryException>(() => registry.PromoteAsync("lead_conversion", "3.0.0", "ana"))).Code);
        await registry.PromoteAsync("lead_conversion", "1.0.0", "ana");
        Assert.Equal("nothing_to_roll_back", (await Assert.ThrowsAsync<RegistryException>(() => registry.RollbackAsync("lead_conversion", "ana"))).Code);
        await registry.PromoteAsync("lead_conversion", "1.1.0", "bo");
        var rolledBack = await registry.RollbackAsync("lead_conversion", "bo");
        Assert.Equal(("1.0.0", (string?)null), (rolledBack.Version, rolledBack.PreviousVersion));

        Assert.Equal("invalid_split", (await Assert.ThrowsAsync<RegistryException>(() => registry.SplitAsync("lead_conversion", [new SplitShare("1.0.0", 50)], "ana"))).Code);
        await registry.SplitAsync("lead_conversion", [new SplitShare("1.0.0", 80), new SplitShare("1.1.0", 20)], "ana");
        var actions = (await stores.Store.ListAuditAsync()).Select(a => a.Action).Reverse();
        Assert.Equal(["model.register", "model.register", "alias.promote", "alias.promote", "alias.rollback", "split.set"], actions);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Rollbacks_step_back_through_the_alias_history_and_never_bounce_forward(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var registry = new ModelRegistry(stores.Store, Path.Combine(stores.Directory, "models"));
        foreach (var (version, seed) in new[] { ("1.0.0", 1), ("1.1.0", 2), ("1.2.0", 3) })
        {
            await registry.RegisterAsync(TestModels.Package(version: version, seed: seed), "ana");
            await registry.PromoteAsync("lead_conversion", version, "ana");
        }

        async Task<(string, string?)> Rollback(string? to = null)
        {
            var alias = await registry.RollbackAsync("lead_conversion", "bo", to: to);
            var listed = (await stores.Store.ListAliasesAsync("lead_conversion")).Single(a => a.Alias == ModelRegistry.Production);
            Assert.Equal((alias.Version, alias.PreviousVersion), (listed.Version, listed.PreviousVersion));
            return (alias.Version, alias.PreviousVersion);
        }

        Assert.Equal(("1.1.0", "1.0.0"), await Rollback());
        Assert.Equal(("1.0.0", (string?)null), await Rollback());
        Assert.Equal("nothing_to_roll_back", (await Assert.ThrowsAsync<RegistryException>(() => Rollback())).Code);

        // A promotion after rollbacks stacks the version it left; a rollback to a chosen version does too.
        await registry.PromoteAsync("lead_conversion", "1.2.0", "ana");
        Assert.Equal(("1.0.0", (string?)null), await Rollback());
        Assert.Equal(("1.2.0", "1.0.0"), await Rollback(to: "1.2.0"));
        Assert.Equal(("1.1.0", "1.2.0"), await Rollback(to: "1.1.0"));
        Assert.Equal(("1.2.0", "1.0.0"), await Rollback());
        Assert.Equal(("1.0.0", (string?)null), await Rollback());
        Assert.Equal("version_not_found", (await Assert.ThrowsAsync<RegistryException>(() => Rollback(to: "9.9.9"))).Code);

        // Back to a chosen version, then back step by step: 1.2.0 (left by that rollback), 1.1.0, 1.0.0.
        await registry.PromoteAsync("lead_conversion", "1.1.0", "ana");
        await registry.PromoteAsync("lead_conversion", "1.2.0", "ana");
        Assert.Equal(("1.1.0", "1.2.0"), await Rollback(to: "1.1.0"));
        Assert.Equal(("1.2.0", "1.1.0"), await Rollback());
        Assert.Equal(("1.1.0", "1.0.0"), await Rollback());

        // Sent with the version the caller saw, a rollback changes nothing once the alias has moved on.
        var changed = await Assert.ThrowsAsync<RegistryException>(() => registry.RollbackAsync("lead_conversion", "bo", from: "1.2.0"));
        Assert.Equal("alias_changed", changed.Code);

        // The store moves an alias only from the version the caller read: a rollback racing another finds it
        // moved and changes nothing, history included.
        int entries = (await stores.Store.ListAliasHistoryAsync("lead_conversion:production")).Count;
        var current = (await stores.Store.ListAliasesAsync("lead_conversion")).Single();
        Assert.False(await stores.Store.MoveAliasAsync(current with { Version = "1.2.0" }, "1.2.0", new AuditEntry(0, current.UpdatedAt, "bo", "alias.rollback", "lead_conversion:production", "1.2.0", "1.2.0")));
        Assert.Equal(entries, (await stores.Store.ListAliasHistoryAsync("lead_conversion:production")).Count);
        Assert.Equal(("1.0.0", (string?)null), await Rollback());
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Entity_features_are_replaced_on_reimport_and_found_by_id(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store;
        await store.UpsertFeaturesAsync("leads", [new EntityFeatures("a", """{"x":1}"""), new EntityFeatures("b", """{"x":2}""")]);
        await store.UpsertFeaturesAsync("leads", [new EntityFeatures("a", """{"x":3}""")]);
        var ids = Enumerable.Range(0, 1200).Select(i => $"id-{i}").Append("a").Append("b").ToList();
        var found = await store.GetFeaturesAsync("leads", ids);

        Assert.Equal(2, found.Count);
        Assert.Contains("3", found["a"], StringComparison.Ordinal);
        Assert.Empty(await store.GetFeaturesAsync("other", ["a"]));
    }

    private static AuditEntry Audit(string action, string subject, string? before, string? after) => new(0, At, "tester", action, subject, before, after);
}
