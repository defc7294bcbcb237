using Skillscope.Assessment.Settings;
using Skillscope.Assessment.Skills;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// The fusion weights a district's admin set for that district, in place of the installation's (a
/// <see cref="DistrictDocumentBook{T}"/>): changed as the installation's are — validated, versioned per district, a
/// change over an older version refused — and audited. A district without its own uses the installation's.
/// </summary>
public sealed class DistrictFusionWeights(IDistrictDocuments store, SkillCatalog catalog) : DistrictDocumentBook<FusionWeights>(store)
{
    /// <summary>The district's own weights, or null when it uses the installation's.</summary>
    public FusionWeights? For(string? districtId) => Own(districtId);

    /// <summary>The weights a district's students are assessed with: its own, or the installation's under the district's version (0 while it never set any).</summary>
    public FusionWeights InForce(string districtId, FusionWeights installation)
    {
        ArgumentNullException.ThrowIfNull(installation);
        var (own, version) = Latest(districtId);
        return own ?? installation with { Version = version };
    }

    /// <summary>The version an assessment records: the district's id and its weights' version, or the installation's version.</summary>
    public static string RecordedVersion(string? districtId, FusionWeights weights, bool own)
    {
        ArgumentNullException.ThrowIfNull(weights);
        string version = weights.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return own ? $"{districtId}:{version}" : version;
    }

    /// <summary>
    /// Applies changes to a district's weights as its next version — starting from the installation's while it has none
    /// of its own — validated and audited; refused (<c>version_conflict</c>) unless <paramref name="basedOn"/>, when given,
    /// is the district's latest version (<see cref="DistrictDocumentBook{T}.VersionOf"/>: 0 while it never set any).
    /// </summary>
    /// <exception cref="FusionWeightsException">Invalid weights or an unknown skill (nothing changed), or a conflict.</exception>
    public async Task<FusionWeights> UpdateAsync(string districtId, IReadOnlyDictionary<string, SkillWeights> changes, FusionWeights installation, string actor,
        long? basedOn, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(installation);
        FusionWeights.RequireValid(changes, catalog);
        await RefreshAsync(cancellation).ConfigureAwait(false);
        var (own, version) = Latest(districtId);
        var current = own ?? installation with { Version = version };
        var next = current.Next(changes, actor, basedOn);
        if (!await AddAsync(districtId, own, next, next.Version, next.UpdatedAt, actor, cancellation).ConfigureAwait(false))
        {
            throw InForce(districtId, installation).Conflict();
        }

        return next;
    }

    protected override string UpdateAction => "fusion.district.update";

    protected override string RemoveAction => "fusion.district.remove";

    protected override FusionWeights Parse(string districtId, string document) => FusionWeights.Parse(document, catalog);

    protected override string ToJson(FusionWeights document) => document.ToJson();
}
