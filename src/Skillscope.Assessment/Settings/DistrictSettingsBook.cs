using System.Collections.Frozen;
using Skillscope.Assessment.Feedback;
using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Settings;

/// <summary>
/// Every district's own settings, read from the database into a snapshot that assessments, feedback, retention
/// and the read paths look districts up in (refreshed by the host every few seconds and at once after a change
/// here), changed as fusion weights are: validated, versioned per district, a change over an older version refused,
/// and audited. A district without settings of its own, or a setting it left unset, uses the installation's.
/// </summary>
public sealed class DistrictSettingsBook(IDistrictDocuments store)
{
    // Swapped whole by one reference write: assessors read it on every thread without a lock. What an assessment
    // records is built once per refresh, not once per student of a night's batch.
    private volatile Snapshot _snapshot = new(FrozenDictionary<string, DistrictSettings>.Empty, FrozenDictionary<string, AppliedSettings>.Empty);

    /// <summary>The district's own settings, or null when it uses the installation's.</summary>
    public DistrictSettings? For(string? districtId) => districtId is not null && _snapshot.Settings.TryGetValue(districtId, out var settings) ? settings : null;

    /// <summary>The bands a district's students' scores are drawn in now: its own, or the installation's.</summary>
    public SkillBands BandsOf(string? districtId) => For(districtId)?.Bands ?? SkillBands.Default;

    /// <summary>Every district that set its own bands, with them.</summary>
    public IReadOnlyDictionary<string, SkillBands> DistrictBands()
    {
        var bands = new Dictionary<string, SkillBands>(StringComparer.Ordinal);
        foreach (var (district, settings) in _snapshot.Settings)
        {
            if (settings.Bands is { } own)
            {
                bands[district] = own;
            }
        }

        return bands;
    }

    /// <summary>Every district that set its own transcript retention, with its days.</summary>
    public IReadOnlyDictionary<string, int> TranscriptDays()
    {
        var days = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (district, settings) in _snapshot.Settings)
        {
            if (settings.TranscriptDays is { } own)
            {
                days[district] = own;
            }
        }

        return days;
    }

    /// <summary>What an assessment of a student of <paramref name="districtId"/> records and is made with; null for the installation's.</summary>
    public AppliedSettings? AppliedTo(string? districtId) => districtId is not null && _snapshot.Applied.TryGetValue(districtId, out var applied) ? applied : null;

    /// <summary>Reads every district's newest settings again.</summary>
    public async Task RefreshAsync(CancellationToken cancellation = default)
    {
        var documents = await store.LatestAsync(cancellation).ConfigureAwait(false);
        var settings = new Dictionary<string, DistrictSettings>(StringComparer.Ordinal);
        var applied = new Dictionary<string, AppliedSettings>(StringComparer.Ordinal);
        foreach (var (district, document) in documents)
        {
            var own = DistrictSettings.Parse(document);
            settings[district] = own;
            applied[district] = new AppliedSettings(own.VersionOf(district), district, own.Bands ?? SkillBands.Default, own.Llm ?? true, own.LlmFeedbackPerDay);
        }

        _snapshot = new Snapshot(settings.ToFrozenDictionary(StringComparer.Ordinal), applied.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// Replaces a district's settings with <paramref name="next"/>'s values as its next version, validated and audited; refused
    /// (<c>version_conflict</c>) unless <paramref name="basedOn"/>, when given, is the district's version in force (0 while it has none).
    /// </summary>
    /// <exception cref="DistrictSettingsException">Invalid settings (nothing changed), or a conflict.</exception>
    public async Task<DistrictSettings> UpdateAsync(string districtId, DistrictSettings next, string actor, long? basedOn, DateTime now, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        next.RequireValid();
        await RefreshAsync(cancellation).ConfigureAwait(false);
        var current = For(districtId);
        long version = current?.Version ?? 0;
        if (basedOn is { } based && based != version)
        {
            throw Conflict(current);
        }

        var saved = next with { Version = version + 1, UpdatedAt = now, UpdatedBy = actor };
        if (!await store.AddAsync(districtId, saved.Version, saved.ToJson(),
            new AuditEntry(0, now, actor, "settings.district.update", $"district:{districtId}", current?.ToJson(), saved.ToJson()), cancellation).ConfigureAwait(false))
        {
            await RefreshAsync(cancellation).ConfigureAwait(false);
            throw Conflict(For(districtId));
        }

        await RefreshAsync(cancellation).ConfigureAwait(false);
        return saved;
    }

    /// <summary>Sends a district back to the installation's settings; false when it had none of its own.</summary>
    public async Task<bool> RemoveAsync(string districtId, string actor, DateTime now, CancellationToken cancellation = default)
    {
        bool removed = await store.RemoveAsync(districtId, new AuditEntry(0, now, actor, "settings.district.remove", $"district:{districtId}", For(districtId)?.ToJson(), null),
            cancellation).ConfigureAwait(false);
        await RefreshAsync(cancellation).ConfigureAwait(false);
        return removed;
    }

    private sealed record Snapshot(FrozenDictionary<string, DistrictSettings> Settings, FrozenDictionary<string, AppliedSettings> Applied);

    private static DistrictSettingsException Conflict(DistrictSettings? current) =>
        current?.Conflict() ?? new DistrictSettingsException("version_conflict", "the district's settings were removed meanwhile (now it has none: version 0)");
}
