using Skillscope.Assessment.Skills;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// <c>skillscope fusion fit</c>'s work: every skill's weights fitted to the teacher ratings of the latest
/// assessments (<see cref="FusionFit"/>), as a proposal over the weights in force. Nothing is applied here.
/// </summary>
public static class FusionProposer
{
    /// <summary>
    /// The proposal, or null when no skill has <see cref="FusionFit.MinimumStudents"/> rated students (then
    /// nothing can be fitted); its skills are in catalog order, each fitted or saying why it keeps its weights.
    /// </summary>
    /// <param name="inputs">The rated students' latest assessments.</param>
    /// <param name="inForce">The weights in force, which the fit is pulled toward and the proposal is over.</param>
    /// <param name="catalog">The skills, in order.</param>
    /// <param name="actor">Who asked.</param>
    /// <param name="now">When.</param>
    /// <param name="include">Which students to fit on (all when null): the held-out ones when the models trained on the others, whose ML scores are then in-sample.</param>
    /// <param name="districtId">A district whose own weights are fitted, to its students alone (<paramref name="inForce"/> then its weights in force); null: the installation's.</param>
    /// <param name="installationVersion">For a district without weights of its own, the installation's version <paramref name="inForce"/> holds.</param>
    /// <param name="cancellation">Stops the read.</param>
    public static async Task<FusionProposal?> ProposeAsync(IFusionFitInputs inputs, FusionWeights inForce, SkillCatalog catalog, string actor, DateTime now,
        Func<string, bool>? include = null, string? districtId = null, long? installationVersion = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(inForce);
        ArgumentNullException.ThrowIfNull(catalog);
        var samples = await inputs.RatedSamplesAsync(districtId, cancellation).ConfigureAwait(false);
        var fits = new SkillFit[catalog.Skills.Count];
        Parallel.For(0, fits.Length, s =>
        {
            string skill = catalog.Skills[s];
            IReadOnlyList<FusionSample> rated = samples.TryGetValue(skill, out var all) ? all : [];
            fits[s] = FusionFit.Fit(skill, include is null ? rated : [.. rated.Where(r => include(r.StudentId))], inForce.For(skill));
        });

        return fits.All(f => f.Students < FusionFit.MinimumStudents)
            ? null
            : new FusionProposal(0, now, actor, inForce.Version, fits, FusionProposal.Proposed, null, null) { DistrictId = districtId, InstallationVersion = installationVersion };
    }
}
