using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Skillscope.Cli.Csv;
using Skillscope.Scoring.Tabular;
using Skillscope.Trees;
using Skillscope.Trees.Prediction;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope predict</c>: scores a CSV file with an XGBoost model, writing a CSV of results.</summary>
internal static class PredictCommand
{
    /// <summary>Rows scored per batch: large enough for the vector kernels and both cores, small enough to stream.</summary>
    private const int ChunkRows = 16_384;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "XGBoost model file (JSON or UBJSON, as save_model writes it)", Required = true };
        var input = new Option<string>("--input") { Description = "CSV with a header of feature names ('-' for standard input)", Required = true };
        var output = new Option<string>("--output") { Description = "CSV to write ('-' for standard output)", Required = true };
        var margin = new Option<bool>("--output-margin") { Description = "Write raw margins (before the objective's transform)" };
        var contribs = new Option<bool>("--pred-contribs") { Description = "Write per-feature contributions (TreeSHAP) plus the bias, as XGBoost's pred_contribs" };
        var leaves = new Option<bool>("--pred-leaf") { Description = "Write the leaf index reached in every tree, as XGBoost's pred_leaf" };
        var iterations = new Option<int?>("--iterations") { Description = "Use the first N boosting rounds (default: best_iteration + 1 when the model has it, else all)" };
        var threads = new Option<int>("--threads") { Description = "Threads to score with (0 = all cores)", DefaultValueFactory = _ => 0 };

        var command = new Command("predict", "Score a CSV file with an XGBoost model: the numbers XGBoost itself gives")
        {
            model, input, output, margin, contribs, leaves, iterations, threads,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            int chosen = (parse.GetValue(margin) ? 1 : 0) + (parse.GetValue(contribs) ? 1 : 0) + (parse.GetValue(leaves) ? 1 : 0);
            if (chosen > 1)
            {
                return CliFailure.Report(stderr, "choose at most one of --output-margin, --pred-contribs, --pred-leaf");
            }

            var kind = parse.GetValue(margin) ? PredictionKind.Margin
                : parse.GetValue(contribs) ? PredictionKind.Contributions
                : parse.GetValue(leaves) ? PredictionKind.Leaves
                : PredictionKind.Prediction;
            return CliFailure.Guard(stderr, () => Run(
                parse.GetRequiredValue(model), parse.GetRequiredValue(input), parse.GetRequiredValue(output),
                kind, parse.GetValue(iterations), parse.GetValue(threads), stdout, stderr));
        });
        return command;
    }

    private static int Run(string modelPath, string inputPath, string outputPath, PredictionKind kind, int? iterations, int threads, TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        var model = XgboostModel.Load(modelPath);
        var predictor = iterations is null ? model.Predictor : model.CreatePredictor(iterations);
        using var input = inputPath == "-" ? TextReader.Synchronized(Console.In) : OpenInput(inputPath);
        var reader = new CsvRecordReader(input);
        var fields = new List<string>();
        if (!reader.TryRead(fields))
        {
            throw new CsvFormatException("the input is empty: a header of feature names is needed");
        }

        var map = FeatureColumnMap.Create(model, [.. fields]);
        int columnCount = fields.Count;
        if (map.IgnoredColumns.Count > 0)
        {
            stderr.WriteLine($"note: ignoring {map.IgnoredColumns.Count} column(s) the model does not use: {string.Join(", ", map.IgnoredColumns.Take(8))}");
        }

        long rows;
        using (var sink = OutputSink.Open(outputPath, stdout))
        {
            sink.Writer.WriteLine(string.Join(',', PredictionTable.Header(kind, predictor).Select(CsvText.Escape)));
            rows = ScoreAll(reader, fields, columnCount, map, predictor, kind, threads, sink.Writer);
            sink.Commit();
        }

        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scored {rows} rows with {Path.GetFileName(modelPath)} ({model.Objective.Name}, {predictor.TreeCount} trees) in {clock.Elapsed.TotalMilliseconds:F0} ms"));
        return 0;
    }

    private static long ScoreAll(
        CsvRecordReader reader, List<string> fields, int columnCount, FeatureColumnMap map, TreePredictor predictor,
        PredictionKind kind, int threads, TextWriter writer)
    {
        int featureCount = predictor.FeatureCount;
        int width = PredictionTable.Width(kind, predictor);
        var features = new float[ChunkRows * featureCount];
        var values = new float[kind == PredictionKind.Leaves ? 0 : ChunkRows * width];
        var leafIds = new int[kind == PredictionKind.Leaves ? ChunkRows * width : 0];
        long total = 0;
        while (true)
        {
            int count = 0;
            while (count < ChunkRows && reader.TryRead(fields))
            {
                if (fields.Count != columnCount)
                {
                    throw new CsvFormatException($"line {reader.LineNumber}: {fields.Count} fields, the header has {columnCount}");
                }

                var row = features.AsSpan(count * featureCount, featureCount);
                for (int f = 0; f < featureCount; f++)
                {
                    int column = map.ColumnOfFeature[f];
                    if (!FeatureCell.TryParse(fields[column], out row[f]))
                    {
                        throw new CsvFormatException($"line {reader.LineNumber}, column {column + 1}: \"{fields[column]}\" is not a number");
                    }
                }

                count++;
            }

            if (count == 0)
            {
                return total;
            }

            var batch = features.AsSpan(0, count * featureCount);
            switch (kind)
            {
                case PredictionKind.Prediction:
                    predictor.PredictBatch(batch, values, threads);
                    break;
                case PredictionKind.Margin:
                    predictor.PredictMarginBatch(batch, values, threads);
                    break;
                case PredictionKind.Contributions:
                    predictor.PredictContributions(batch, values);
                    break;
                case PredictionKind.Leaves:
                    predictor.PredictLeaves(batch, leafIds);
                    break;
            }

            WriteRows(writer, count, width, values, leafIds);
            total += count;
        }
    }

    private static void WriteRows(TextWriter writer, int count, int width, float[] values, int[] leafIds)
    {
        Span<char> buffer = stackalloc char[32];
        for (int r = 0; r < count; r++)
        {
            for (int c = 0; c < width; c++)
            {
                if (c > 0)
                {
                    writer.Write(',');
                }

                int i = (r * width) + c;
                // The shortest text that parses back to the same float32.
                bool formatted = leafIds.Length > 0
                    ? leafIds[i].TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture)
                    : values[i].TryFormat(buffer, out written, default, CultureInfo.InvariantCulture);
                Debug.Assert(formatted, "32 characters hold any float or int");
                writer.Write(buffer[..written]);
            }

            writer.Write('\n');
        }
    }

    private static StreamReader OpenInput(string path)
    {
        try
        {
            return new StreamReader(path, new FileStreamOptions { BufferSize = 1 << 16 });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CsvFormatException($"cannot read input '{path}': {ex.Message}");
        }
    }
}
