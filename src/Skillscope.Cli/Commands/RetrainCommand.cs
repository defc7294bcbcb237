using System.CommandLine;
using System.Globalization;
using Skillscope.Assessment.Training;
using Skillscope.Server.Learning;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope retrain</c>: one retraining run now — every skill model trained on the ratings gathered so far,
/// each challenger compared with its champion on the same held-out students, registered with its report, and
/// the better ones (when none is worse) started in their champion's shadow. docs/LEARNING.md.
/// </summary>
internal static class RetrainCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var command = new Command("retrain", "Train challengers for every skill model on the ratings so far, compare them with the champions on held-out students, and shadow the better ones");
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            (long Run, RetrainReport Report) result;
            try
            {
                result = await Retraining.RunAsync(options, store, DataOptions.Actor, cancellation);
            }
            catch (RetrainRefusedException refused)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, refused.Message, CliFailure.InputError);
            }

            var (run, report) = result;
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"retraining run {run}: {report.Students:N0} students trained on, {report.HeldOut:N0} held out, {report.WeakLabels:N0} weak labels from accuracy answers");
            output.WriteLine($"{"skill",-16} {"champion",-9} {"challenger",-10} {"AUC",15} {"log loss",17} {"ECE",15} {"r rating",15}  verdict");
            foreach (var skill in report.Skills)
            {
                var c = skill.Comparison;
                output.WriteLine(c is null
                    ? $"{skill.Skill,-16} {"-",-9} {skill.Challenger,-10} no production version: promote the challenger by hand"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{skill.Skill,-16} {skill.Champion,-9} {skill.Challenger,-10} {Pair(c.Champion.Auc, c.Challenger.Auc),15} {Pair(c.Champion.LogLoss, c.Challenger.LogLoss),17} {Pair(c.Champion.Ece, c.Challenger.Ece),15} {Pair(c.Champion.RWithRating, c.Challenger.RWithRating),15}  {c.Verdict}: {c.Reason}{(skill.Step == SkillRetrain.Shadow ? " → shadow" : "")}"));
            }

            output.WriteLine($"decision: {report.Reason}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"time: reading students {report.ReadSeconds:0.0} s, training {report.TrainSeconds:0.0} s, comparing with the champions {report.CompareSeconds:0.0} s"));
            return 0;
        }));
        return command;
    }

    private static string Pair(double champion, double challenger) => string.Create(CultureInfo.InvariantCulture, $"{champion:0.0000}→{challenger:0.0000}");
}
