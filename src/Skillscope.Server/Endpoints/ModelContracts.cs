using System.Text.Json;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;

namespace Skillscope.Server.Endpoints;

/// <summary>The registry's models: <c>GET /api/v1/models</c>.</summary>
internal sealed record ModelList(IReadOnlyList<ModelSummary> Models);

/// <summary>One model: its versions, aliases, split and load failures.</summary>
internal sealed record ModelSummary(
    string Name, IReadOnlyList<ModelVersionView> Versions, IReadOnlyDictionary<string, string> Aliases,
    IReadOnlyDictionary<string, int>? Split, IReadOnlyList<LoadFailure> Failures);

/// <summary>One registered version; <see cref="Loaded"/> says whether this replica serves it now.</summary>
internal sealed record ModelVersionView(
    string Version, string Sha256, string ModelSha256, DateTime RegisteredAt, string RegisteredBy, bool Loaded, JsonElement Metadata);

/// <summary>A version just registered.</summary>
internal sealed record RegisteredModel(string Name, string Version, string Sha256, string ModelSha256);

/// <summary>Where an alias points after a promotion or rollback.</summary>
internal sealed record AliasView(string Name, string Alias, string Version, string? PreviousVersion, DateTime UpdatedAt, string UpdatedBy)
{
    public static AliasView Of(AliasRecord alias) => new(alias.Name, alias.Alias, alias.Version, alias.PreviousVersion, alias.UpdatedAt, alias.UpdatedBy);
}

/// <summary>A model's traffic split after a change (no shares: no split).</summary>
internal sealed record SplitView(string Name, IReadOnlyDictionary<string, int> Shares, SplitGuardView? Guard = null);

/// <summary>A canary guard: the split goes back to production when a candidate fails more than max_error_rate of its rows, or its AUC falls below production's by more than min_auc_delta (once each has min_outcomes outcomes).</summary>
internal sealed record SplitGuardView(double? MaxErrorRate, double? MinAucDelta, int MinOutcomes);

/// <summary>The audit log's latest entries.</summary>
internal sealed record AuditList(IReadOnlyList<AuditEntry> Entries);

/// <summary>Body of a promotion: the version, and the alias to move (default <c>production</c>).</summary>
internal sealed record PromoteRequest(string Version, string? Alias);

/// <summary>
/// Body of a rollback (optional): the alias (default <c>production</c>), a version to go back <c>to</c>, and the
/// version the caller saw serving (<c>from</c>): if the alias moved since, the rollback is refused, not repeated.
/// </summary>
internal sealed record RollbackRequest(string? Alias, string? To, string? From);

/// <summary>Body of a split: whole percents per version, summing to 100 (none: remove the split).</summary>
internal sealed record SplitRequest(IReadOnlyDictionary<string, int> Shares, SplitGuardView? Guard = null);
