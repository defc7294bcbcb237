using System.CommandLine;
using System.Globalization;
using Skillscope.Trees;
using Skillscope.Trees.Explanation;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope inspect</c>: what a model file holds, and whether it loads.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "XGBoost model file (JSON or UBJSON)", Required = true };
        var command = new Command("inspect", "Load and validate a model file and describe it: objective, booster, features, trees, importance") { model };
        command.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            var output = parse.InvocationConfiguration.Output;
            var loaded = XgboostModel.Load(parse.GetRequiredValue(model));
            var invariant = CultureInfo.InvariantCulture;
            output.WriteLine($"objective:   {loaded.Objective.Name}");
            output.WriteLine($"booster:     {loaded.Booster}");
            output.WriteLine($"writer:      XGBoost {(loaded.WriterVersion is { } v ? string.Join('.', v) : "unknown")}");
            output.WriteLine($"features:    {loaded.FeatureCount}{(loaded.FeatureNames is null ? " (unnamed: matched by position)" : "")}");
            output.WriteLine($"groups:      {loaded.GroupCount}");
            output.WriteLine($"trees:       {loaded.TreeCount} in {loaded.IterationCount} rounds");
            output.WriteLine($"base_score:  {string.Join(", ", loaded.BaseScores.Select(s => s.ToString(invariant)))}");
            output.WriteLine($"best_iter:   {(loaded.BestIteration?.ToString(invariant) ?? "none")}");
            output.WriteLine($"kernel:      {loaded.Predictor.BatchKernel}");
            var gain = loaded.GetImportance(loaded.TreeCount > 0 ? ImportanceType.TotalGain : ImportanceType.Weight);
            output.WriteLine("top features:");
            foreach (var item in gain.OrderByDescending(i => Math.Abs(i.Values[0])).Take(10))
            {
                output.WriteLine($"  {item.Name,-30} {item.Values[0].ToString("G6", invariant)}");
            }

            return 0;
        }));
        return command;
    }
}
