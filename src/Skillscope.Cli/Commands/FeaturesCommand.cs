using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Tabular;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope features import</c>: loads entities' features from a CSV into the feature store, for scoring by id.</summary>
internal static class FeaturesCommand
{
    private const int Batch = 1000;

    public static Command Create()
    {
        var data = new DataOptions();
        var model = new Option<string>("--model") { Required = true, Description = "Model name the features are for" };
        var file = new Option<string>("--file") { Required = true, Description = "CSV with a header row: an id column and one column per feature (empty cells are missing)" };
        var idColumn = new Option<string>("--id-column") { Description = "Name of the id column", DefaultValueFactory = _ => "id" };
        var import = new Command("import", "Insert or update entities' features from a CSV; re-importing replaces, never duplicates") { model, file, idColumn };
        data.AddTo(import);
        import.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            string name = parse.GetRequiredValue(model);
            ModelMetadata.CheckName(name);
            string path = parse.GetRequiredValue(file);
            using var text = File.OpenText(path);
            var reader = new CsvRecordReader(text);
            var header = new List<string>();
            if (!reader.TryRead(header))
            {
                throw new CsvFormatException($"{path} is empty");
            }

            int id = header.IndexOf(parse.GetRequiredValue(idColumn));
            if (id < 0)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"the CSV has no \"{parse.GetRequiredValue(idColumn)}\" column (use --id-column)");
            }

            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            var fields = new List<string>();
            var batch = new List<EntityFeatures>(Batch);
            int total = 0;
            while (reader.TryRead(fields))
            {
                if (fields.Count != header.Count)
                {
                    throw new CsvFormatException($"{path} line {reader.LineNumber}: expected {header.Count} fields, found {fields.Count}");
                }

                var features = new JsonObject();
                for (int c = 0; c < fields.Count; c++)
                {
                    if (c == id)
                    {
                        continue;
                    }

                    string cell = fields[c].Trim();
                    if (cell.Length == 0)
                    {
                        features[header[c]] = null;
                    }
                    else if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
                    {
                        features[header[c]] = value;
                    }
                    else
                    {
                        throw new CsvFormatException($"{path} line {reader.LineNumber}, column {header[c]}: \"{cell}\" is not a number");
                    }
                }

                batch.Add(new EntityFeatures(fields[id], features.ToJsonString()));
                if (batch.Count == Batch)
                {
                    total += await store.UpsertFeaturesAsync(name, batch);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                total += await store.UpsertFeaturesAsync(name, batch);
            }

            parse.InvocationConfiguration.Output.WriteLine($"imported features of {total} entities for {name}");
            return 0;
        }));
        return new Command("features", "Feature extraction, and the feature store of entities' latest features for scoring by id") { import, FeatureExtractCommand.Create() };
    }
}
