using System.CommandLine;
using System.Globalization;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
using Skillscope.Assessment.Training;
using Skillscope.Cli.Demo;
using Skillscope.Scoring.Registry;
using Skillscope.Trees.Evaluation;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope train skills</c>: the seven skill models from a generated district — features, labels
/// from teacher ratings, training, calibration, evaluation reports, packages, registration, promotion.
/// </summary>
internal static class TrainSkillsCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var students = new Option<int>("--students") { Description = "Students in the generated district", DefaultValueFactory = _ => 2000 };
        var seed = new Option<int>("--seed") { Description = "District and training seed", DefaultValueFactory = _ => 7 };
        var reports = new Option<string?>("--report-dir") { Description = "Where to write the evaluation reports (default DATA_DIR/reports)" };
        var command = new Command("skills", "Generate a district, train, calibrate and evaluate the seven skill models, then register and promote them")
        {
            students, seed, reports,
        };
        data.AddTo(command);
        command.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            int count = parse.GetValue(students);
            if (count is < 200 or > 1_000_000)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--students must be between 200 and 1,000,000");
            }

            var output = parse.InvocationConfiguration.Output;
            var options = data.Read(parse);
            var catalog = SkillCatalog.Default;
            var generator = new DistrictGenerator(parse.GetValue(seed), catalog);
            var roster = generator.Roster(count);
            var extractor = new FeatureExtractor();
            var examples = generator.Students(roster)
                .Select(s => new SkillExample(s.Student.Id, extractor.Extract(s.Utterances, s.Events), [.. s.Ratings.Select(r => r.Rating)], s.Latent))
                .ToList();
            output.WriteLine($"district: {count:N0} students (seed {parse.GetValue(seed)}); mean feature coverage {examples.Average(e => e.Features.Coverage):P0}");

            var models = SkillModelTrainer.Train(examples, catalog, (ulong)parse.GetValue(seed));
            string reportDirectory = parse.GetValue(reports) ?? Path.Combine(options.DataDirectory, "reports");
            Directory.CreateDirectory(reportDirectory);
            var evaluations = models.Select(m => m.Evaluation).ToList();
            File.WriteAllText(Path.Combine(reportDirectory, "skills.html"), EvaluationReport.Html(evaluations, "held-out students (15%)"));
            File.WriteAllText(Path.Combine(reportDirectory, "skills.md"), EvaluationReport.Markdown(evaluations, "held-out students (15%)"));

            using var store = DataOptions.OpenStore(options);
            var registry = new ModelRegistry(store, options.ModelStoreDirectory);
            output.WriteLine($"{"skill",-16} {"AUC",6} {"log loss",9} {"ECE",6} {"r rating",9} {"r latent",9}  version");
            foreach (var model in models)
            {
                string name = SkillModelTrainer.ModelName(model.Skill);
                var (version, _) = PackageRegistration.RegisterOrReuse(registry, name, model.ModelBytes, model.PackageFor);
                registry.PromoteAsync(name, version, DataOptions.Actor).GetAwaiter().GetResult();
                var m = model.Metrics;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{model.Skill,-16} {m["test_auc"],6:F3} {m["test_logloss"],9:F4} {m["test_ece"],6:F3} {m["test_pearson_r_teacher_rating"],9:F3} {m.GetValueOrDefault("test_pearson_r_latent", double.NaN),9:F3}  {name} {version}"));
            }

            output.WriteLine($"reports: {Path.Combine(reportDirectory, "skills.html")} (and skills.md)");
            return 0;
        }));
        return command;
    }
}
