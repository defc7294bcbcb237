using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Hosting;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope fusion fit</c>: every skill's fusion weights fitted to the teacher ratings of the latest
/// assessments, cross-validated, and stored as a proposal (nothing changes until an admin applies it).
/// <c>skillscope fusion apply ID</c>: applies a proposal, as <c>POST /api/v1/fusion/proposals/{id}/apply</c> does.
/// </summary>
internal static class FusionCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var heldOutOnly = new Option<bool>("--held-out-only")
        {
            Description = "Fit on the students retraining holds out only: when the skill models were trained on this database's students, their scores of the others are in-sample",
        };
        var district = new Option<string?>("--district")
        {
            Description = "Fit a district's own weights, to its teachers' ratings alone (over its weights in force: its own, or the installation's); applied as that district's",
        };
        var fit = new Command("fit", $"Fit each skill's fusion weights to teacher ratings (at least {FusionFit.MinimumStudents} rated students a skill) and store them as a proposal")
        {
            heldOutOnly, district,
        };
        data.AddTo(fit);
        fit.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            using var services = AssessmentServices.Open(options, store);
            string? districtId = parse.GetValue(district);
            if (districtId is not null && (await store.Assessments.Roster.ExistingAsync(RosterTable.Districts, [districtId], cancellation)).Count == 0)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"no district has the id \"{districtId}\"", CliFailure.InputError);
            }

            // A district's fit is over its weights in force: its own, or the installation's under the district's version.
            var installation = services.GetRequiredService<IFusionWeightsSource>().Current;
            var districts = services.GetRequiredService<DistrictFusionWeights>();
            var inForce = districtId is null ? installation : districts.InForce(districtId, installation);
            long? overInstallation = districtId is not null && districts.For(districtId) is null ? installation.Version : null;
            var proposal = await FusionProposer.ProposeAsync(store.Assessments.FusionFitInputs, inForce, services.GetRequiredService<SkillCatalog>(),
                DataOptions.Actor, DateTime.UtcNow, parse.GetValue(heldOutOnly) ? Skillscope.Server.Learning.Retraining.HeldOut(options) : null, districtId, overInstallation,
                cancellation);
            if (proposal is null)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error,
                    $"too few ratings to fit: no skill has {FusionFit.MinimumStudents} rated students with an assessment{(districtId is null ? "" : $" in district {districtId}")}" +
                    (parse.GetValue(heldOutOnly) ? " among those retraining holds out (fit on every student, or rate more)" : " (import ratings and assess first)") + "; nothing was stored",
                    CliFailure.InputError);
            }

            var output = parse.InvocationConfiguration.Output;
            string over = overInstallation is { } installationVersion
                ? $"the installation's weights version {installationVersion} (district {districtId} has none of its own; its version {inForce.Version})"
                : $"{FusionProposalApplication.WhoseWeights(proposal)} version {inForce.Version}";
            output.WriteLine($"fitted over {over}; r with teacher ratings on held-out students ({FusionFit.Folds} folds):");
            output.WriteLine($"{"skill",-16} {"n",7}  {"ml / ling / beh / conf: in force",-34} {"proposed",-26} {"r now",6} {"r fit",6} {"gain (95 %)",-22}");
            foreach (var skill in proposal.Skills)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{skill.Skill,-16} {skill.Students,7:N0}  {skill.Current.Describe(),-34} {(skill.Kept is null ? skill.Proposed.Describe() : "kept"),-26} {skill.CvRCurrent,6:F3} {skill.CvRProposed,6:F3} {(skill.Kept is null || skill.Students >= FusionFit.MinimumStudents ? $"{skill.Gain:+0.000;-0.000;0.000} ({skill.GainLow:+0.000;-0.000;0.000}, {skill.GainHigh:+0.000;-0.000;0.000})" : "")}"));
                if (skill.Kept is not null)
                {
                    output.WriteLine($"  {skill.Skill}: {skill.Kept}");
                }
            }

            if (proposal.Changes().Count == 0)
            {
                output.WriteLine("no skill's weights would change: nothing was stored");
                return 0;
            }

            var stored = await store.Assessments.FusionProposals.SaveAsync(proposal,
                new AuditEntry(0, proposal.CreatedAt, DataOptions.Actor, "fusion.proposal", "fusion-proposal", $"{FusionProposalApplication.WhoseWeights(proposal)} version {inForce.Version}",
                    string.Join(", ", proposal.Changes().Keys)), cancellation);
            output.WriteLine($"proposal {stored.Id} stored; an admin applies it with `skillscope fusion apply {stored.Id}` or POST /api/v1/fusion/proposals/{stored.Id}/apply");
            return 0;
        }));

        var id = new Argument<long>("id") { Description = "The proposal's id" };
        var apply = new Command("apply", "Apply a stored proposal: its skills' weights become the next version, if the weights it was fitted over are still in force") { id };
        data.AddTo(apply);
        apply.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            using var services = AssessmentServices.Open(options, store);
            long proposal = parse.GetValue(id);
            // The command line applies any proposal, the installation's or a district's.
            string? whose = (await store.Assessments.FusionProposals.GetAsync(proposal, cancellation))?.DistrictId;
            var (outcome, weights) = await FusionProposalApplication.ApplyAsync(store.Assessments.FusionProposals, services.GetRequiredService<IFusionWeightsSource>(),
                services.GetRequiredService<DistrictFusionWeights>(), proposal, DataOptions.Actor, DateTime.UtcNow, whose, cancellation);
            var error = parse.InvocationConfiguration.Error;
            return outcome switch
            {
                FusionProposalApplication.Outcome.Applied => Written(parse.InvocationConfiguration.Output,
                    $"proposal {proposal} applied: {(whose is null ? "" : $"district {whose}'s ")}fusion weights version {weights!.Version}"),
                FusionProposalApplication.Outcome.NotFound => CliFailure.Report(error, $"no proposal has the id {proposal}", CliFailure.InputError),
                FusionProposalApplication.Outcome.AlreadyApplied => CliFailure.Report(error, $"proposal {proposal} was applied already", CliFailure.InputError),
                FusionProposalApplication.Outcome.NothingToApply => CliFailure.Report(error, $"proposal {proposal} changes no skill's weights", CliFailure.InputError),
                FusionProposalApplication.Outcome.Invalid => CliFailure.Report(error, $"proposal {proposal} names weights the skills in force do not take; fit again", CliFailure.InputError),
                _ => CliFailure.Report(error, $"the weights changed since proposal {proposal} was fitted; run `skillscope fusion fit` again", CliFailure.InputError),
            };
        }));
        return new Command("fusion", "Fit fusion weights to teacher judgement, and apply a fit") { fit, apply };
    }

    private static int Written(TextWriter output, string line)
    {
        output.WriteLine(line);
        return 0;
    }
}
