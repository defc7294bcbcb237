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
    public static async Task<FusionProposal?> ProposeAsync(IFusionFitInputs inputs, FusionWeights inForce, SkillCatalog catalog, string actor, DateTime now,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(inForce);
        ArgumentNullException.ThrowIfNull(catalog);
        var samples = await inputs.RatedSamplesAsync(cancellation).ConfigureAwait(false);
        var fits = new SkillFit[catalog.Skills.Count];
        Parallel.For(0, fits.Length, s =>
        {
            string skill = catalog.Skills[s];
            fits[s] = FusionFit.Fit(skill, samples.TryGetValue(skill, out var rated) ? rated : [], inForce.For(skill));
        });

        return fits.All(f => f.Students < FusionFit.MinimumStudents)
            ? null
            : new FusionProposal(0, now, actor, inForce.Version, fits, FusionProposal.Proposed, null, null);
    }
}
