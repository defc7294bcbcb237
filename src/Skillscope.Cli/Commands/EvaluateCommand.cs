using System.CommandLine;
using System.Globalization;
using Skillscope.Cli.Csv;
using Skillscope.Scoring.Tabular;
using Skillscope.Trees;
using Skillscope.Trees.Calibration;
using Skillscope.Trees.Evaluation;
using Skillscope.Trees.Training;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope evaluate</c>: metrics and an HTML + Markdown report for a model (or two, side by side) on labelled data.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "XGBoost model file (JSON or UBJSON)", Required = true };
        var compare = new Option<string?>("--compare") { Description = "A second model to compare side by side" };
        var data = new Option<string>("--data") { Description = "Labelled CSV holding the model's features", Required = true };
        var label = new Option<string>("--label") { Description = "Name of the label column", Required = true };
        var weight = new Option<string?>("--weight") { Description = "Name of a per-row weight column" };
        var calibration = new Option<string?>("--calibration") { Description = "Calibrate scores first: sigmoid (Platt) or isotonic" };
        var calibrationData = new Option<string?>("--calibration-data") { Description = "Labelled CSV to fit the calibration on (never the evaluation data)" };
        var report = new Option<string>("--report") { Description = "HTML report to write; a Markdown copy is written beside it (.md)", Required = true };
        var command = new Command("evaluate", "Evaluate a model on labelled data and write an HTML and Markdown report")
        {
            model, compare, data, label, weight, calibration, calibrationData, report,
        };
        command.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            string? method = parse.GetValue(calibration);
            string? calibrationPath = parse.GetValue(calibrationData);
            if (method is not (null or "sigmoid" or "isotonic"))
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"--calibration must be sigmoid or isotonic, not \"{method}\"");
            }

            if ((method is null) != (calibrationPath is null))
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--calibration and --calibration-data go together");
            }

            var paths = new List<string> { parse.GetRequiredValue(model) };
            if (parse.GetValue(compare) is { } second)
            {
                paths.Add(second);
            }

            // Each file is read once per distinct feature order, not once per model.
            var tables = new Dictionary<string, LabelledTable>(StringComparer.Ordinal);
            LabelledTable ReadFor(string path, XgboostModel loaded)
            {
                var names = loaded.FeatureNames ?? throw new CsvFormatException("the model has no feature names; evaluate matches columns by name");
                string key = path + "\u0000" + string.Join('\u0000', names);
                if (!tables.TryGetValue(key, out var table))
                {
                    table = LabelledTable.Read(path, parse.GetRequiredValue(label), new HashSet<string>(), parse.GetValue(weight), names);
                    tables[key] = table;
                }

                return table;
            }

            var evaluations = new List<ModelEvaluation>();
            foreach (var path in paths)
            {
                var loaded = XgboostModel.Load(path);
                var table = ReadFor(parse.GetRequiredValue(data), loaded);
                (string, Func<double, double>)? calibrator = method is null ? null : Fit(method, loaded, ReadFor(calibrationPath!, loaded).Data);
                evaluations.Add(ModelEvaluator.Evaluate(Path.GetFileName(path), loaded, table.Data, calibrator));
            }

            string reportPath = parse.GetRequiredValue(report);
            string markdownPath = Path.ChangeExtension(reportPath, ".md");
            string dataName = Path.GetFileName(parse.GetRequiredValue(data));
            var output = parse.InvocationConfiguration.Output;
            foreach (var (file, text) in new[] { (reportPath, EvaluationReport.Html(evaluations, dataName)), (markdownPath, EvaluationReport.Markdown(evaluations, dataName)) })
            {
                using var sink = OutputSink.Open(file, output);
                sink.Writer.Write(text);
                sink.Commit();
            }

            foreach (var evaluation in evaluations)
            {
                output.WriteLine($"{evaluation.Name} (calibration: {evaluation.Calibration}) on {evaluation.RowCount.ToString(CultureInfo.InvariantCulture)} rows");
                foreach (var (name, value) in evaluation.Metrics)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-28} {value:0.0000}"));
                }
            }

            output.WriteLine($"wrote {reportPath} and {markdownPath}");
            return 0;
        }));
        return command;
    }

    private static (string, Func<double, double>) Fit(string method, XgboostModel model, TrainingData data)
    {
        if (model.OutputWidth != 1)
        {
            throw new TrainingException("calibration applies to binary classifiers");
        }

        var raw = new float[data.RowCount];
        model.Predictor.PredictBatch(data.Features, raw);
        var scores = Array.ConvertAll(raw, v => (double)v);
        var labels = Array.ConvertAll(data.Labels, v => (double)v);
        var weights = data.Weights is null ? [] : Array.ConvertAll(data.Weights, v => (double)v);
        if (method == "sigmoid")
        {
            var platt = PlattCalibrator.Fit(scores, labels, weights);
            return ("sigmoid", platt.Calibrate);
        }

        var isotonic = IsotonicCalibrator.Fit(scores, labels, weights);
        return ("isotonic", isotonic.Calibrate);
    }
}
