using System.CommandLine;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
using Skillscope.Assessment.Training;
using Skillscope.Cli.Demo;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope train skills</c>: the seven skill models from a generated district — features, labels
/// from teacher ratings, training, calibration, evaluation reports, packages, registration, promotion.
/// </summary>
internal static class TrainSkillsCommand
{
    public static Command Create()
    {
        var data = new DataOptions(fillsData: true);
        var students = new Option<int>("--students") { Description = "Students in the generated district", DefaultValueFactory = _ => 2000 };
        var seed = new Option<int>("--seed") { Description = "District and training seed", DefaultValueFactory = _ => 7 };
        var reports = new Option<string?>("--report-dir") { Description = "Where to write the evaluation reports (default DATA_DIR/reports)" };
        var fromDatabase = new Option<bool>("--from-db") { Description = "Train on the students, evidence and teacher ratings imported into the database instead of a generated district" };
        var command = new Command("skills", "Generate a district, train, calibrate and evaluate the seven skill models, then register and promote them")
        {
            students, seed, reports, fromDatabase,
        };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            int count = parse.GetValue(students);
            if (!parse.GetValue(fromDatabase) && count is < 200 or > 1_000_000)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--students must be between 200 and 1,000,000");
            }

            var output = parse.InvocationConfiguration.Output;
            var options = data.Read(parse);
            var catalog = SkillCatalog.Default;
            if (parse.GetValue(fromDatabase))
            {
                using var source = await DataOptions.OpenStoreAsync(options);
                // The students retraining judges models on are left out here too, so a retrained challenger and this champion are compared on students neither saw.
                var heldOut = Skillscope.Server.Learning.Retraining.HeldOut(options);
                var rated = await SkillTrainingSet.FromStoreAsync(source.Assessments.Inputs, catalog);
                var stored = rated.Where(e => !heldOut(e.StudentId)).ToList();
                var weak = await WeakLabels.FromStoreAsync(source.Assessments.Inputs, source.Assessments.AccuracyFeedback, catalog, rated, heldOut);
                output.WriteLine($"database: {rated.Count:N0} students with a rating of every skill, {stored.Count:N0} trained on (the rest held out to judge models), " +
                    $"{weak.Count:N0} weak labels from accuracy answers; mean feature coverage {(stored.Count > 0 ? stored.Average(e => e.Features.Coverage) : 0):P0}");
                await SkillModelPublisher.PublishAsync(stored, catalog, parse.GetValue(seed), options, source, parse.GetValue(reports), output, weak);
                return 0;
            }

            var generator = new DistrictGenerator(parse.GetValue(seed), catalog, DistrictGenerator.RecentTermStart(DateTime.UtcNow));
            var roster = generator.Roster(count);
            var extractor = new FeatureExtractor();
            var examples = generator.Students(roster)
                .Select(s => new SkillExample(s.Student.Id, extractor.Extract(s.Utterances, s.Events), [.. s.Ratings.Select(r => r.Rating)], s.Latent))
                .ToList();
            output.WriteLine($"district: {count:N0} students (seed {parse.GetValue(seed)}); mean feature coverage {examples.Average(e => e.Features.Coverage):P0}");

            using var store = await DataOptions.OpenStoreAsync(options);
            await SkillModelPublisher.PublishAsync(examples, catalog, parse.GetValue(seed), options, store, parse.GetValue(reports), output);
            return 0;
        }));
        return command;
    }
}
