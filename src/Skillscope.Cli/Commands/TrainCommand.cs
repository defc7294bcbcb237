using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Skillscope.Cli.Csv;
using Skillscope.Trees.Explanation;
using Skillscope.Trees.Training;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope train</c>: trains an XGBoost-compatible model from a labelled CSV, with XGBoost's parameter names.</summary>
internal static class TrainCommand
{
    /// <summary>Hyper-parameters offered as options, spelled as XGBoost spells them (with dashes).</summary>
    private static readonly string[] ParameterNames =
    [
        "objective", "num-class", "num-round", "max-depth", "eta", "min-child-weight", "lambda", "alpha", "gamma",
        "subsample", "colsample-bytree", "colsample-bylevel", "colsample-bynode", "scale-pos-weight", "base-score",
        "max-bin", "max-leaves", "seed", "early-stopping-rounds", "eval-metric", "nthread", "tree-method", "grow-policy",
    ];

    public static Command Create()
    {
        var train = new Option<string>("--train") { Description = "Training CSV with a header", Required = true };
        var label = new Option<string>("--label") { Description = "Name of the label column", Required = true };
        var valid = new Option<string?>("--valid") { Description = "Validation CSV (reported each round; needed for --early-stopping-rounds)" };
        var output = new Option<string>("--output") { Description = "Model file to write: MODEL.json or MODEL.ubj", Required = true };
        var drop = new Option<string?>("--drop") { Description = "Comma-separated columns that are not features" };
        var weight = new Option<string?>("--weight") { Description = "Name of a per-row weight column" };
        var set = new Option<string[]>("--set") { Description = "Any other parameter as NAME=VALUE (XGBoost names), repeatable", AllowMultipleArgumentsPerToken = false };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the summary, not every round" };
        var parameterOptions = ParameterNames.ToDictionary(n => n, n => new Option<string?>("--" + n) { Description = $"XGBoost's {n.Replace('-', '_')}" });

        var command = new Command("train", "Train a gradient-boosted tree model (histogram method) that XGBoost loads unchanged")
        {
            train, label, valid, output, drop, weight, set, quiet,
        };
        foreach (var option in parameterOptions.Values)
        {
            command.Options.Add(option);
        }

        command.Subcommands.Add(TrainSkillsCommand.Create());

        command.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            var settings = new List<KeyValuePair<string, string>>();
            foreach (var (name, option) in parameterOptions)
            {
                if (parse.GetValue(option) is { } value)
                {
                    settings.Add(new(name, value));
                }
            }

            foreach (var pair in parse.GetValue(set) ?? [])
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new TrainingException($"--set expects NAME=VALUE, got \"{pair}\"");
                }

                settings.Add(new(pair[..equals].Trim(), pair[(equals + 1)..].Trim()));
            }

            var dropped = (parse.GetValue(drop) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            return Run(
                parse.GetRequiredValue(train), parse.GetValue(valid), parse.GetRequiredValue(label), dropped, parse.GetValue(weight),
                settings, parse.GetRequiredValue(output), parse.GetValue(quiet), parse.InvocationConfiguration.Output);
        }));
        return command;
    }

    private static int Run(
        string trainPath, string? validPath, string label, HashSet<string> drop, string? weight,
        List<KeyValuePair<string, string>> settings, string output, bool quiet, TextWriter stdout)
    {
        var invariant = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        var parameters = new TrainingParameters().With(settings);
        var train = LabelledTable.Read(trainPath, label, drop, weight, featureOrder: null);
        var validation = validPath is null ? null : LabelledTable.Read(validPath, label, drop, weight, train.Data.FeatureNames);
        if (parameters.Objective.StartsWith("multi:", StringComparison.Ordinal) && parameters.NumClass == 0)
        {
            // XGBoost insists on num_class; the labels already say it.
            parameters = parameters with { NumClass = (int)train.Data.Labels.Max() + 1 };
            stdout.WriteLine($"num_class not given: {parameters.NumClass} from the labels");
        }

        stdout.WriteLine(string.Create(invariant,
            $"training {parameters.Objective} on {train.Data.RowCount} rows × {train.Data.FeatureCount} features{(validation is null ? "" : $", validating on {validation.Data.RowCount} rows")}"));
        if (LabelledTable.Describe(train.SkippedColumns) is { Length: > 0 } note)
        {
            stdout.WriteLine(note);
        }

        var loadTime = clock.Elapsed;
        Action<TrainingRound>? progress = quiet ? null : round => stdout.WriteLine(string.Create(invariant,
            $"[{round.Round}]\ttrain-{round.Metric}:{round.Train:F5}{(round.Validation is double v ? $"\tvalid-{round.Metric}:{v:F5}" : "")}"));
        var model = GradientBoostingTrainer.Train(train.Data, parameters, validation?.Data, progress);
        var trainTime = clock.Elapsed - loadTime;
        model.Save(output);

        var last = model.Rounds[^1];
        stdout.WriteLine();
        stdout.WriteLine(string.Create(invariant, $"rounds:      {model.Rounds.Count} ({model.TreeCount} trees)"));
        if (model.BestIteration is int best)
        {
            stdout.WriteLine(string.Create(invariant, $"best round:  {best} (valid-{last.Metric} {model.BestScore:F5}); scoring uses rounds 0..{best}"));
        }

        stdout.WriteLine(string.Create(invariant, $"train-{last.Metric}: {last.Train:F5}{(last.Validation is double lv ? $"   valid-{last.Metric}: {lv:F5}" : "")}"));
        stdout.WriteLine(string.Create(invariant, $"base_score:  {model.BaseScore:R}"));
        stdout.WriteLine(string.Create(invariant, $"time:        {trainTime.TotalSeconds:F2} s training, {loadTime.TotalSeconds:F2} s reading"));
        var scoring = model.ToScoringModel();
        var gains = scoring.GetImportance(ImportanceType.TotalGain).OrderByDescending(i => i.Values[0]).Take(5).ToList();
        if (gains.Count > 0)
        {
            stdout.WriteLine("top features by total gain: " + string.Join(", ", gains.Select(g => string.Create(invariant, $"{g.Name} {g.Values[0]:G4}"))));
        }

        stdout.WriteLine($"wrote {output}");
        return 0;
    }
}
