using System.Collections.Frozen;
using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Settings;

/// <summary>
/// Every district's own settings (a <see cref="DistrictDocumentBook{T}"/>), which assessments, feedback, retention and
/// the read paths look districts up in; changed as fusion weights are — validated, versioned per district, a change over
/// an older version refused — and audited. A district without settings of its own, or a setting it left unset, uses the
/// installation's.
/// </summary>
public sealed class DistrictSettingsBook(IDistrictDocuments store) : DistrictDocumentBook<DistrictSettings>(store)
{
    // Built once per refresh, not once per student of a night's batch; swapped whole with one reference write.
    private volatile Derived _derived = new(FrozenDictionary<string, AppliedSettings>.Empty, FrozenDictionary<string, SkillBands>.Empty, FrozenDictionary<string, int>.Empty);

    /// <summary>The district's own settings, or null when it uses the installation's.</summary>
    public DistrictSettings? For(string? districtId) => Own(districtId);

    /// <summary>The bands a district's students' scores are drawn in now: its own, or the installation's.</summary>
    public SkillBands BandsOf(string? districtId) => districtId is not null && _derived.Bands.TryGetValue(districtId, out var own) ? own : SkillBands.Default;

    /// <summary>Every district that set its own bands, with them.</summary>
    public IReadOnlyDictionary<string, SkillBands> DistrictBands() => _derived.Bands;

    /// <summary>Every district that set its own transcript retention, with its days.</summary>
    public IReadOnlyDictionary<string, int> TranscriptDays() => _derived.TranscriptDays;

    /// <summary>What an assessment of a student of <paramref name="districtId"/> records and is made with; null for the installation's.</summary>
    public AppliedSettings? AppliedTo(string? districtId) => districtId is not null && _derived.Applied.TryGetValue(districtId, out var applied) ? applied : null;

    /// <summary>The settings in force for a district's students, each its own or the installation's.</summary>
    /// <param name="districtId">The district.</param>
    /// <param name="installationDays">The installation's transcript retention (0 or less: kept).</param>
    /// <param name="installationLlm">Whether the installation has an LLM write feedback.</param>
    public SettingsInForce InForce(string districtId, int installationDays, bool installationLlm)
    {
        var own = For(districtId);
        return new SettingsInForce(own?.Bands ?? SkillBands.Default, own?.TranscriptDays ?? (installationDays > 0 ? installationDays : null),
            installationLlm && (own?.Llm ?? true), own?.LlmFeedbackPerDay);
    }

    /// <summary>
    /// Replaces a district's settings with <paramref name="next"/>'s values as its next version, validated and audited; refused
    /// (<c>version_conflict</c>) unless <paramref name="basedOn"/>, when given, is the district's latest version (0 while it never set any).
    /// </summary>
    /// <exception cref="DistrictSettingsException">Invalid settings (nothing changed), or a conflict.</exception>
    public async Task<DistrictSettings> UpdateAsync(string districtId, DistrictSettings next, string actor, long? basedOn, DateTime now, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        next.RequireValid();
        await RefreshAsync(cancellation).ConfigureAwait(false);
        var (own, version) = Latest(districtId);
        if (basedOn is { } based && based != version)
        {
            throw Conflict(districtId);
        }

        var saved = next with { Version = version + 1, UpdatedAt = now, UpdatedBy = actor };
        if (!await AddAsync(districtId, own, saved, saved.Version, now, actor, cancellation).ConfigureAwait(false))
        {
            throw Conflict(districtId);
        }

        return saved;
    }

    protected override string UpdateAction => "settings.district.update";

    protected override string RemoveAction => "settings.district.remove";

    protected override DistrictSettings Parse(string districtId, string document) => DistrictSettings.Parse(document);

    protected override string ToJson(DistrictSettings document) => document.ToJson();

    protected override void Refreshed()
    {
        var applied = new Dictionary<string, AppliedSettings>(StringComparer.Ordinal);
        var bands = new Dictionary<string, SkillBands>(StringComparer.Ordinal);
        var days = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (district, own) in AllOwn)
        {
            applied[district] = new AppliedSettings(own.VersionOf(district), district, own.Bands ?? SkillBands.Default, own.Llm ?? true, own.LlmFeedbackPerDay);
            if (own.Bands is { } edges)
            {
                bands[district] = edges;
            }

            if (own.TranscriptDays is { } kept)
            {
                days[district] = kept;
            }
        }

        _derived = new Derived(applied.ToFrozenDictionary(StringComparer.Ordinal), bands.ToFrozenDictionary(StringComparer.Ordinal), days.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private DistrictSettingsException Conflict(string districtId) =>
        For(districtId)?.Conflict() ?? new DistrictSettingsException("version_conflict", $"the district's settings changed meanwhile (now version {VersionOf(districtId)})");

    private sealed record Derived(FrozenDictionary<string, AppliedSettings> Applied, FrozenDictionary<string, SkillBands> Bands, FrozenDictionary<string, int> TranscriptDays);
}
