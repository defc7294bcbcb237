using System.CommandLine;
using System.Globalization;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
using Skillscope.Assessment.Validation;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope validate [--job ID] [--latent CSV]</c>: per skill, how a batch job's assessments agree with
/// the teacher ratings (and the latent truth of a generated district), against the product's targets.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var jobOption = new Option<string?>("--job") { Description = "The batch job whose assessments to check (default: the latest successful full job)" };
        var latentOption = new Option<string?>("--latent") { Description = "A generated district's latent.csv, to also report r with the true skill" };
        var command = new Command("validate", "Validity of a batch job's assessments: r with teacher ratings, calibration error, confidence AUROC") { jobOption, latentOption };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            var jobs = await store.Assessments.Jobs.ListJobsAsync(1_000);
            var job = parse.GetValue(jobOption) is { } id
                ? jobs.FirstOrDefault(j => j.Id == id)
                : jobs.FirstOrDefault(j => j.Kind == JobKind.Full && j.Status == JobStatus.Succeeded);
            if (job is null)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "no such job; run `skillscope assess --all` first", CliFailure.InputError);
            }

            var scores = await store.Assessments.Jobs.JobSkillScoresAsync(job.Id);
            var ratings = await store.Assessments.Inputs.LoadRatingsAsync();
            var latent = parse.GetValue(latentOption) is { } path
                ? LatentFile.Read(path, SkillCatalog.Default) ?? throw new IOException($"{path} does not exist")
                : null;
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"job {job.Id}: {scores.Select(s => s.StudentId).Distinct(StringComparer.Ordinal).Count():N0} students");
            output.WriteLine($"{"skill",-16} {"n",6} {"r rating",9} {"r latent",9} {"ECE",7} {"conf AUROC",11}");
            bool met = true;
            for (int s = 0; s < SkillCatalog.Default.Skills.Count; s++)
            {
                string skill = SkillCatalog.Default.Skills[s];
                var v = SkillValidity.Measure(skill, scores, ratings, latent?.ToDictionary(p => p.Key, p => p.Value[s], StringComparer.Ordinal));
                met &= v.RWithRating >= SkillValidity.MinimumR && v.Ece <= SkillValidity.MaximumEce && v.ConfidenceAuroc >= SkillValidity.MinimumConfidenceAuroc;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{skill,-16} {v.Students,6} {v.RWithRating,9:F3} {v.RWithLatent ?? double.NaN,9:F3} {v.Ece,7:F3} {v.ConfidenceAuroc,11:F3}"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"targets: r with ratings ≥ {SkillValidity.MinimumR}, ECE ≤ {SkillValidity.MaximumEce}, confidence AUROC ≥ {SkillValidity.MinimumConfidenceAuroc}: {(met ? "all met" : "NOT all met")}"));
            return 0;
        }));
        return command;
    }
}
