using System.Collections.Frozen;
using Skillscope.Scoring.Registry;

namespace Skillscope.Scoring.Serving;

/// <summary>
/// An immutable view of what is served: per model name, its aliases and traffic split resolved to
/// loaded versions. A request reads the catalog once, so it never sees half of a swap.
/// </summary>
public sealed class ModelCatalog
{
    public static ModelCatalog Empty { get; } = new(0, FrozenDictionary<string, ServedModel>.Empty, []);

    public ModelCatalog(long revision, FrozenDictionary<string, ServedModel> models, IReadOnlyList<LoadFailure> failures)
    {
        Revision = revision;
        Models = models;
        Failures = failures;
    }

    /// <summary>The registry revision this catalog reflects.</summary>
    public long Revision { get; }

    public FrozenDictionary<string, ServedModel> Models { get; }

    /// <summary>Versions that failed to load; where they were meant to replace a version, that one still serves.</summary>
    public IReadOnlyList<LoadFailure> Failures { get; }
}

/// <summary>One model name: its aliases and optional split, each pointing at a loaded version.</summary>
public sealed record ServedModel(string Name, FrozenDictionary<string, LoadedModel> Aliases, TrafficSplit? Split, FrozenDictionary<string, LoadedModel> Versions)
{
    /// <summary>The candidate scoring this model's rows in the shadow, if any.</summary>
    public ShadowTarget? Shadow { get; init; }

    /// <summary>
    /// The version for an item: an explicit <paramref name="version"/> or <paramref name="alias"/> if
    /// given; else the split's sticky choice for <paramref name="entityId"/>; else <c>production</c>.
    /// </summary>
    public LoadedModel? Resolve(string? version, string? alias, string? entityId)
    {
        if (version is not null)
        {
            return Versions.GetValueOrDefault(version);
        }

        if (alias is not null)
        {
            return Aliases.GetValueOrDefault(alias);
        }

        if (Split is { } split && entityId is not null && Versions.TryGetValue(TrafficRouter.Assign(split, entityId), out var assigned))
        {
            return assigned;
        }

        return Aliases.GetValueOrDefault(ModelRegistry.Production);
    }
}

/// <summary>A version that could not be loaded, and why.</summary>
public sealed record LoadFailure(string Name, string Version, string Code, string Message);

/// <summary>A loaded candidate scoring <see cref="Percent"/> of a model's rows in the shadow, changes counted across <see cref="Cuts"/>.</summary>
public sealed record ShadowTarget(LoadedModel Candidate, int Percent, IReadOnlyList<double> Cuts);
