using System.Globalization;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Training;
using Skillscope.Cli.Commands;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;
using Skillscope.Server;
using Skillscope.Storage;
using Skillscope.Trees.Evaluation;

namespace Skillscope.Cli.Demo;

/// <summary>Trains the skill models from examples, writes the evaluation reports, registers and promotes each model, and prints a table.</summary>
internal static class SkillModelPublisher
{
    public static async Task<IReadOnlyList<SkillModel>> PublishAsync(IReadOnlyList<SkillExample> examples, SkillCatalog catalog, int seed, ServerOptions options, SqlRegistryStore store,
        string? reportDirectory, TextWriter output, IReadOnlyList<WeakExample>? weak = null)
    {
        var models = SkillModelTrainer.Train(examples, catalog, (ulong)seed, weak: weak);
        string reports = reportDirectory ?? Path.Combine(options.DataDirectory, "reports");
        Directory.CreateDirectory(reports);
        var evaluations = models.Select(m => m.Evaluation).ToList();
        File.WriteAllText(Path.Combine(reports, "skills.html"), EvaluationReport.Html(evaluations, "held-out students (15%)"));
        File.WriteAllText(Path.Combine(reports, "skills.md"), EvaluationReport.Markdown(evaluations, "held-out students (15%)"));

        var registry = new ModelRegistry(store, options.ModelStoreDirectory);
        output.WriteLine($"{"skill",-16} {"AUC",6} {"log loss",9} {"ECE",6} {"r rating",9} {"r latent",9}  version");
        foreach (var model in models)
        {
            string name = SkillModelTrainer.ModelName(model.Skill);
            var (version, _) = await PackageRegistration.RegisterOrReuseAsync(registry, name, model.ModelBytes, model.PackageFor);
            await registry.PromoteAsync(name, version, DataOptions.Actor);

            // Drift is measured against the students the model learnt from (a version reused from an earlier run keeps its own).
            if (await store.Monitoring.GetReferenceAsync(name, version) is null)
            {
                await store.Monitoring.AddReferenceAsync(name, version, ProfileBuilder.FromTrainingData(model.PackageFor(version), SkillExamples.Matrix(examples), DateTime.UtcNow));
            }

            var m = model.Metrics;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{model.Skill,-16} {m["test_auc"],6:F3} {m["test_logloss"],9:F4} {m["test_ece"],6:F3} {m["test_pearson_r_teacher_rating"],9:F3} {m.GetValueOrDefault("test_pearson_r_latent", double.NaN),9:F3}  {name} {version}"));
        }

        output.WriteLine($"reports: {Path.Combine(reports, "skills.html")} (and skills.md)");
        return models;
    }
}
