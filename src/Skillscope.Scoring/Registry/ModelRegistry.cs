using System.Text.Json;
using Skillscope.Scoring.Packages;

namespace Skillscope.Scoring.Registry;

/// <summary>
/// Registers verified packages (their bytes kept in the registry's database, a copy in this machine's
/// package cache) and moves aliases and traffic splits, each change audited. Used by the CLI and the API alike.
/// </summary>
public sealed class ModelRegistry(IRegistryStore store, string modelStoreDirectory, TimeProvider? clock = null)
{
    /// <summary>The alias scoring uses when a request names none.</summary>
    public const string Production = "production";

    private const string PromoteAction = "alias.promote";
    private const string RollbackAction = "alias.rollback";
    private const string RollbackToAction = "alias.rollback_to";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public IRegistryStore Store => store;

    /// <summary>
    /// Copies a verified package into the store and records it. Registering the same bytes again is a
    /// no-op; different bytes under an existing version are refused (versions are immutable).
    /// </summary>
    public async Task<ModelVersionRecord> RegisterAsync(ModelPackage package, string actor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        string name = package.Metadata.Name, version = package.Metadata.Version;
        if (await store.GetVersionAsync(name, version, cancellation).ConfigureAwait(false) is { } existing)
        {
            return existing.Sha256 == package.Sha256
                ? existing
                : throw new RegistryException("version_exists", $"{name} {version} is registered already with different contents; versions are immutable, register a new version");
        }

        // The bytes go into the database before the version does, so no process ever finds a version whose
        // package it cannot fetch; this process's own cache is filled now, so it serves the version warm.
        await store.PutPackageAsync(package.Sha256, package.ToZip(), cancellation).ConfigureAwait(false);
        var directory = PackageCache.DirectoryOf(modelStoreDirectory, name, version, package.Sha256);
        if (!Directory.Exists(directory))
        {
            package.WriteTo(directory);
        }

        var record = new ModelVersionRecord(name, version, package.Sha256, package.ModelSha256, Path.GetFullPath(directory),
            package.Metadata.ToJson(), Now(), actor);
        var audit = Audit(actor, "model.register", $"{name}@{version}", null, package.Sha256);
        if (!await store.AddVersionAsync(record, audit, cancellation).ConfigureAwait(false))
        {
            // Lost a race with another registration of the same version: the winner's record stands.
            var winner = await store.GetVersionAsync(name, version, cancellation).ConfigureAwait(false);
            return winner is not null && winner.Sha256 == package.Sha256
                ? winner
                : throw new RegistryException("version_exists", $"{name} {version} was registered concurrently with different contents");
        }

        return record;
    }

    /// <summary>Points <paramref name="alias"/> at a registered version; the old target becomes the rollback target.</summary>
    public async Task<AliasRecord> PromoteAsync(string name, string version, string actor, string alias = Production, CancellationToken cancellation = default)
    {
        CheckAlias(alias);
        _ = await RequireVersionAsync(name, version, cancellation).ConfigureAwait(false);
        var current = await GetAliasAsync(name, alias, cancellation).ConfigureAwait(false);
        if (current?.Version == version)
        {
            return current;
        }

        var updated = new AliasRecord(name, alias, version, current?.Version, Now(), actor);
        await store.SetAliasAsync(updated, Audit(actor, PromoteAction, Subject(name, alias), current?.Version, version), cancellation).ConfigureAwait(false);
        return updated;
    }

    /// <summary>
    /// Points <paramref name="alias"/> back: at <paramref name="to"/> when given (any registered version), else
    /// at the version it had before the change that brought the current one. Rollbacks step back through
    /// the alias's history (replayed from the audit log): a second rollback goes to the version before that,
    /// or is refused when there is none, instead of returning to the version just left. With
    /// <paramref name="from"/> (the version the caller saw) nothing changes if the alias has moved since:
    /// a page submitted twice does not step back twice.
    /// </summary>
    public async Task<AliasRecord> RollbackAsync(string name, string actor, string alias = Production, string? to = null, string? from = null,
        CancellationToken cancellation = default)
    {
        CheckAlias(alias);
        var current = await GetAliasAsync(name, alias, cancellation).ConfigureAwait(false)
            ?? throw new RegistryException("alias_not_found", $"{name} has no {alias} alias to roll back");
        string subject = Subject(name, alias);
        if (from is not null && from != current.Version)
        {
            throw new RegistryException("alias_changed", $"{subject} points at {current.Version} now, not {from}: nothing was changed");
        }

        AliasRecord updated;
        string action;
        if (to is not null)
        {
            _ = await RequireVersionAsync(name, to, cancellation).ConfigureAwait(false);
            if (to == current.Version)
            {
                return current;
            }

            // Like a promotion: a later bare rollback returns to the version left now.
            (updated, action) = (new AliasRecord(name, alias, to, current.Version, Now(), actor), RollbackToAction);
        }
        else
        {
            var earlier = await EarlierVersionsAsync(subject, cancellation).ConfigureAwait(false);
            while (earlier.TryPeek(out string? top) && top == current.Version)
            {
                earlier.Pop();
            }

            if (!earlier.TryPop(out string? target))
            {
                throw new RegistryException("nothing_to_roll_back", $"{subject} has no earlier version to roll back to (it points at {current.Version})");
            }

            (updated, action) = (new AliasRecord(name, alias, target, earlier.TryPeek(out string? next) ? next : null, Now(), actor), RollbackAction);
        }

        // Only from the version read above: of two rollbacks at once, the second finds the alias moved and
        // changes nothing (its history entry would otherwise break the replay above).
        if (!await store.MoveAliasAsync(updated, current.Version, Audit(actor, action, subject, current.Version, updated.Version), cancellation).ConfigureAwait(false))
        {
            throw new RegistryException("alias_changed", $"{subject} changed while this rollback was made: nothing was changed; look again and retry");
        }

        return updated;
    }

    /// <summary>
    /// The versions an alias can step back to, the nearest on top: a promotion or a rollback to a chosen
    /// version stacks the version it left; a rollback to the version on top takes it off (one that does not
    /// match, written before rollbacks kept this history, counts as a move from the version it left).
    /// </summary>
    private async Task<Stack<string>> EarlierVersionsAsync(string subject, CancellationToken cancellation)
    {
        var earlier = new Stack<string>();
        foreach (var entry in await store.ListAliasHistoryAsync(subject, cancellation).ConfigureAwait(false))
        {
            if (entry.Action == RollbackAction && earlier.TryPeek(out string? top) && top == entry.After)
            {
                earlier.Pop();
            }
            else if (entry.Action is PromoteAction or RollbackAction or RollbackToAction && entry.Before is { } left)
            {
                earlier.Push(left);
            }
        }

        return earlier;
    }

    /// <summary>Sets a model's traffic split (whole percents summing to 100) with an optional canary guard, or removes it when empty.</summary>
    public async Task<TrafficSplit> SplitAsync(string name, IReadOnlyList<SplitShare> shares, string actor, SplitGuard? guard = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ModelMetadata.CheckName(name);
        if (guard is not null)
        {
            if (guard.MaxErrorRate is not null && !(guard.MaxErrorRate is >= 0 and <= 1))
            {
                throw new RegistryException("invalid_guard", $"max_error_rate must be a share between 0 and 1, not {guard.MaxErrorRate}");
            }

            if (guard.MinAucDelta is not null && !(guard.MinAucDelta is >= -1 and <= 1))
            {
                throw new RegistryException("invalid_guard", $"min_auc_delta must be between -1 and 1, not {guard.MinAucDelta}");
            }

            if (guard.MinOutcomes is < 10 or > 1_000_000)
            {
                throw new RegistryException("invalid_guard", $"min_outcomes must be between 10 and 1,000,000, not {guard.MinOutcomes}");
            }

            if (guard.MaxErrorRate is null && guard.MinAucDelta is null)
            {
                throw new RegistryException("invalid_guard", "a guard sets max_error_rate, min_auc_delta or both");
            }

            if (shares.Count == 0)
            {
                throw new RegistryException("invalid_guard", "a guard needs a split to guard");
            }
        }

        if (shares.Count > 0)
        {
            if (shares.Any(s => s.Percent is < 1 or > 100) || shares.Sum(s => s.Percent) != 100)
            {
                throw new RegistryException("invalid_split", "split shares must be whole percents from 1 to 100 that sum to 100");
            }

            if (shares.Select(s => s.Version).Distinct(StringComparer.Ordinal).Count() != shares.Count)
            {
                throw new RegistryException("invalid_split", "a version appears twice in the split");
            }

            foreach (var share in shares)
            {
                _ = await RequireVersionAsync(name, share.Version, cancellation).ConfigureAwait(false);
            }
        }

        var before = (await store.ListSplitsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == name);
        var split = new TrafficSplit(name, shares) { Guard = guard };
        await store.SetSplitAsync(name, shares, guard,
            Audit(actor, shares.Count > 0 ? "split.set" : "split.clear", name, before is null ? null : Describe(before), shares.Count > 0 ? Describe(split) : null),
            cancellation).ConfigureAwait(false);
        return split;
    }

    /// <summary>
    /// Starts (or changes) a model's shadow: <paramref name="percent"/> (1–100) of its scored rows are
    /// scored again by <paramref name="version"/>, never answered; <paramref name="cuts"/> are the band
    /// boundaries a change is counted across (ascending, at most 10; none given: 0.5).
    /// </summary>
    public async Task<ShadowDeployment> ShadowAsync(string name, string version, int percent, IReadOnlyList<double>? cuts, string actor,
        CancellationToken cancellation = default)
    {
        _ = await RequireVersionAsync(name, version, cancellation).ConfigureAwait(false);
        if (percent is < 1 or > 100)
        {
            throw new RegistryException("invalid_shadow", $"percent must be a whole number from 1 to 100, not {percent}");
        }

        IReadOnlyList<double> bands = cuts is null || cuts.Count == 0 ? [0.5] : cuts;
        if (bands.Count > 10 || bands.Any(c => !double.IsFinite(c)) || bands.Zip(bands.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new RegistryException("invalid_shadow", "cuts must be at most 10 finite numbers in ascending order");
        }

        var shadow = new ShadowDeployment(name, version, percent, bands);
        var before = (await store.ListShadowsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == name);
        await store.SetShadowAsync(name, shadow, Audit(actor, "shadow.set", name, before is null ? null : Describe(before), Describe(shadow)), cancellation)
            .ConfigureAwait(false);
        return shadow;
    }

    /// <summary>Stops a model's shadow; false when it had none.</summary>
    public async Task<bool> StopShadowAsync(string name, string actor, CancellationToken cancellation = default)
    {
        ModelMetadata.CheckName(name);
        var before = (await store.ListShadowsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == name);
        if (before is null)
        {
            return false;
        }

        await store.SetShadowAsync(name, null, Audit(actor, "shadow.clear", name, Describe(before), null), cancellation).ConfigureAwait(false);
        return true;
    }

    public async Task<ModelVersionRecord> RequireVersionAsync(string name, string version, CancellationToken cancellation = default)
    {
        ModelMetadata.CheckName(name);
        ModelMetadata.CheckVersion(version);
        return await store.GetVersionAsync(name, version, cancellation).ConfigureAwait(false)
            ?? throw new RegistryException("version_not_found", $"{name} {version} is not registered");
    }

    private async Task<AliasRecord?> GetAliasAsync(string name, string alias, CancellationToken cancellation) =>
        (await store.ListAliasesAsync(name, cancellation).ConfigureAwait(false)).FirstOrDefault(a => a.Alias == alias);

    private static void CheckAlias(string alias)
    {
        if (string.IsNullOrWhiteSpace(alias) || alias.Length > 32 || !alias.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
        {
            throw new RegistryException("invalid_alias", $"alias \"{alias}\" is not valid: use up to 32 lowercase letters, digits, '-' or '_'");
        }
    }

    /// <summary>What an alias's audit entries are about; its history is read back by it.</summary>
    private static string Subject(string name, string alias) => $"{name}:{alias}";

    private static string Describe(ShadowDeployment shadow) =>
        JsonSerializer.Serialize(new { version = shadow.Version, percent = shadow.Percent, cuts = shadow.Cuts });

    private static string Describe(TrafficSplit split) => split.Guard is { } guard
        ? JsonSerializer.Serialize(new { shares = split.Shares.ToDictionary(s => s.Version, s => s.Percent), guard = new { max_error_rate = guard.MaxErrorRate, min_auc_delta = guard.MinAucDelta, min_outcomes = guard.MinOutcomes } })
        : JsonSerializer.Serialize(split.Shares.ToDictionary(s => s.Version, s => s.Percent));

    private AuditEntry Audit(string actor, string action, string subject, string? before, string? after) =>
        new(0, Now(), actor, action, subject, before, after);

    // Microseconds: what PostgreSQL keeps, so a record reads back equal to what was written.
    private DateTime Now()
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }
}
