using System.CommandLine;
using System.Globalization;
using Skillscope.Cli.Csv;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;
using Skillscope.Trees.Scaling;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope models register|list|show|promote|rollback|split|shadow|outcomes</c>: the registry from the command line.</summary>
internal static class ModelsCommand
{
    public static Command Create() => new("models", "Register model packages and move aliases and traffic between versions")
    {
        Register(), List(), Show(), Promote(), Rollback(), Split(), Shadow(), Outcomes(),
    };

    private static Command Register()
    {
        var data = new DataOptions();
        var package = new Option<string?>("--package") { Description = "A package directory or .zip (made by skillscope or by hand, with manifest.json)" };
        var name = new Option<string?>("--name") { Description = "Model name (with --model)" };
        var version = new Option<string?>("--version") { Description = "Semantic version, e.g. 1.0.0 (with --model)" };
        var model = new Option<string?>("--model") { Description = "An XGBoost model file (JSON or UBJSON); the schema is derived from its feature names unless --schema is given" };
        var schema = new Option<string?>("--schema") { Description = "Feature schema JSON (names, types, ranges, invalid-value policy, minimum coverage)" };
        var scaler = new Option<string?>("--scaler") { Description = "StandardScaler JSON (mean, scale)" };
        var calibrator = new Option<string?>("--calibrator") { Description = "Calibrator JSON ({\"method\":\"sigmoid\",\"a\":…,\"b\":…} or isotonic)" };
        var description = new Option<string?>("--description") { Description = "What the model is for" };
        var referenceData = new Option<string?>("--reference-data")
        {
            Description = "A CSV of the data the model was trained on (header row; the schema's feature columns, others ignored): the version's reference for drift, instead of its first scored rows",
        };
        var command = new Command("register", "Verify a package (or build one from a model file) and add it to the registry as an immutable version")
        {
            package, name, version, model, schema, scaler, calibrator, description, referenceData,
        };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(package) is null && (parse.GetValue(model) is null || parse.GetValue(name) is null || parse.GetValue(version) is null))
            {
                return CliFailure.Report(error, "give --package DIR|ZIP, or --model FILE with --name and --version");
            }

            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            ModelPackage built;
            ModelVersionRecord? registered;
            if (parse.GetValue(package) is { } packagePath)
            {
                built = ModelPackage.Load(packagePath);
                registered = await store.GetVersionAsync(built.Metadata.Name, built.Metadata.Version);
            }
            else
            {
                string modelPath = parse.GetValue(model)!, modelName = parse.GetValue(name)!, modelVersion = parse.GetValue(version)!;
                ModelMetadata.CheckName(modelName);
                ModelMetadata.CheckVersion(modelVersion);
                var bytes = File.ReadAllBytes(modelPath);

                // A version registered already keeps its creation time, so the same files make the same
                // package again and registering them twice changes nothing (instead of being refused).
                registered = await store.GetVersionAsync(modelName, modelVersion);
                var metadata = new ModelMetadata
                {
                    Name = modelName,
                    Version = modelVersion,
                    Created = registered is null ? DateTimeOffset.UtcNow : ModelMetadata.FromJson(registered.MetadataJson).Created,
                    Description = parse.GetValue(description),
                };
                built = ModelPackage.Create(
                    bytes,
                    metadata,
                    parse.GetValue(schema) is { } schemaPath ? FeatureSchema.FromJson(File.ReadAllText(schemaPath)) : null,
                    parse.GetValue(scaler) is { } scalerPath ? ReadScaler(scalerPath) : null,
                    parse.GetValue(calibrator) is { } calibratorPath ? ScoreCalibration.FromJson(File.ReadAllText(calibratorPath)) : null);
            }

            // Read before anything is registered: a file that cannot serve as the reference changes nothing.
            float[]? reference = parse.GetValue(referenceData) is { } referencePath
                ? ReferenceRows.Read(referencePath, [.. built.Schema.Features.Select(f => f.Name)])
                : null;
            var registry = new ModelRegistry(store, options.ModelStoreDirectory);
            var record = await registry.RegisterAsync(built, DataOptions.Actor);
            var output = parse.InvocationConfiguration.Output;
            string? referenceLine = reference is null ? null : await StoreReferenceAsync(store, built, reference);
            if (registered is not null)
            {
                // Registered already with these contents: RegisterAsync refuses different ones.
                output.WriteLine($"{record.Name} {record.Version} is registered already with the same contents: nothing changed");
                output.WriteLine($"  package sha256: {record.Sha256}");
                if (referenceLine is not null)
                {
                    output.WriteLine($"  reference:      {referenceLine}");
                }

                return 0;
            }

            output.WriteLine($"registered {record.Name} {record.Version}");
            output.WriteLine($"  package sha256: {record.Sha256}");
            output.WriteLine($"  model sha256:   {record.ModelSha256}");
            output.WriteLine($"  features:       {built.Schema.Features.Count} ({string.Join(", ", built.Schema.Features.Take(8).Select(f => f.Name))}{(built.Schema.Features.Count > 8 ? ", …" : "")})");
            output.WriteLine($"  stored in:      the {store.Kind} database (local copy: {record.StorePath})");
            output.WriteLine($"  reference:      {referenceLine ?? $"made from its first {ModelMonitor.DefaultReferenceRows:N0} scored rows (or --reference-data)"}");
            output.WriteLine($"next: skillscope models promote --name {record.Name} --version {record.Version}");
            return 0;
        }));
        return command;
    }

    /// <summary>Stores the version's reference from its training data, unless it has one; says which it has.</summary>
    private static async Task<string> StoreReferenceAsync(Skillscope.Storage.SqlRegistryStore store, ModelPackage package, float[] rows)
    {
        var made = ProfileBuilder.FromTrainingData(package, rows, DateTime.UtcNow);
        var stored = await store.Monitoring.AddReferenceAsync(package.Metadata.Name, package.Metadata.Version, made);
        return stored.CreatedAt == made.CreatedAt && stored.Source == made.Source
            ? string.Create(CultureInfo.InvariantCulture, $"{made.Rows:N0} rows of training data")
            : string.Create(CultureInfo.InvariantCulture, $"kept the one it has ({stored.Source}, {stored.Rows:N0} rows, {stored.CreatedAt:yyyy-MM-dd HH:mm} UTC): drift compares with that");
    }

    private static StandardScaler ReadScaler(string path)
    {
        try
        {
            return StandardScaler.FromJson(File.ReadAllText(path));
        }
        catch (ArgumentException exception)
        {
            throw new PackageException("scaler_invalid", $"{path}: {exception.Message}", exception);
        }
    }

    private static Command List()
    {
        var data = new DataOptions();
        var command = new Command("list", "Every model, its versions and where its aliases point");
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            var versions = await store.ListVersionsAsync();
            var aliases = await store.ListAliasesAsync();
            var output = parse.InvocationConfiguration.Output;
            if (versions.Count == 0)
            {
                output.WriteLine("no models registered; add one with: skillscope models register --name NAME --version 1.0.0 --model FILE");
                return 0;
            }

            output.WriteLine($"{"model",-24} {"version",-14} {"aliases",-22} registered");
            foreach (var v in versions)
            {
                var pointing = string.Join(",", aliases.Where(a => a.Name == v.Name && a.Version == v.Version).Select(a => a.Alias));
                output.WriteLine($"{v.Name,-24} {v.Version,-14} {pointing,-22} {v.RegisteredAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} by {v.RegisteredBy}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var data = new DataOptions();
        var name = new Option<string>("--name") { Required = true, Description = "Model name" };
        var version = new Option<string?>("--version") { Description = "Whose features to list (default: the production version, else the newest)" };
        var command = new Command("show", "One model's versions, aliases and split, and the features a version takes") { name, version };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            string model = parse.GetRequiredValue(name);
            var versions = await store.ListVersionsAsync(model);
            if (versions.Count == 0)
            {
                throw new RegistryException("model_not_found", $"no model named \"{model}\"");
            }

            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"model {model}");
            foreach (var v in versions)
            {
                output.WriteLine($"  {v.Version,-14} sha256 {v.Sha256[..16]}…  registered {v.RegisteredAt:yyyy-MM-dd HH:mm} by {v.RegisteredBy}");
            }

            var aliases = await store.ListAliasesAsync(model);
            foreach (var alias in aliases)
            {
                output.WriteLine($"  alias {alias.Alias} → {alias.Version}{(alias.PreviousVersion is { } p ? $" (rollback → {p})" : "")}");
            }

            if ((await store.ListSplitsAsync()).FirstOrDefault(s => s.Name == model) is { } split)
            {
                output.WriteLine($"  split {string.Join(", ", split.Shares.Select(s => $"{s.Version}={s.Percent}%"))}");
            }

            if ((await store.ListShadowsAsync()).FirstOrDefault(s => s.Name == model) is { } shadow)
            {
                output.WriteLine($"  shadow {Describe(shadow)}");
            }

            string shown = parse.GetValue(version) ?? aliases.FirstOrDefault(a => a.Alias == ModelRegistry.Production)?.Version ?? versions[^1].Version;
            var record = versions.FirstOrDefault(v => v.Version == shown)
                ?? throw new RegistryException("version_not_found", $"{model} {shown} is not registered");
            var schema = (await new PackageCache(store, options.ModelStoreDirectory).LoadAsync(record)).Schema;
            output.WriteLine($"features of {model} {shown} (schema {schema.SchemaVersion}; invalid values: {schema.InvalidValues.ToString().ToLowerInvariant()}; " +
                $"minimum coverage {schema.MinimumCoverage.ToString("0.##", CultureInfo.InvariantCulture)}):");
            int width = Math.Max(8, schema.Features.Max(f => f.Name.Length));
            foreach (var feature in schema.Features)
            {
                string range = feature.Minimum is null && feature.Maximum is null ? "" : $"[{Bound(feature.Minimum, "-∞")}, {Bound(feature.Maximum, "∞")}]";
                output.WriteLine($"  {feature.Name.PadRight(width)}  {feature.Type,-8} {range,-20} {feature.Description}".TrimEnd());
            }

            PrintReference(output, model, shown, await store.Monitoring.GetReferenceAsync(model, shown));
            return 0;
        }));
        return command;
    }

    /// <summary>The version's reference profile, which drift is measured against: where it came from, and each variable's range, missing share and bins.</summary>
    private static void PrintReference(TextWriter output, string model, string version, ReferenceProfile? reference)
    {
        if (reference is null)
        {
            output.WriteLine($"reference profile of {model} {version}: none yet (made from the first rows it scores; see docs/MONITORING.md)");
            return;
        }

        output.WriteLine($"reference profile of {model} {version}: {reference.Rows:N0} rows ({reference.Source.Replace('_', ' ')}, {reference.CreatedAt:yyyy-MM-dd HH:mm} UTC)");
        var variables = reference.Score is null ? reference.Features : [.. reference.Features, reference.Score];
        int width = Math.Max(8, variables.Max(v => v.Name.Length));
        output.WriteLine($"  {"variable".PadRight(width)}  {"min",10} {"max",10} {"missing",8} {"bins",5}");
        foreach (var variable in variables)
        {
            long total = variable.Total;
            output.WriteLine($"  {variable.Name.PadRight(width)}  {Value(variable.Min),10} {Value(variable.Max),10} {(total == 0 ? 0 : (double)variable.Missing / total),8:P1} {variable.Edges.Length + 1,5}");
        }
    }

    private static string Value(float value) => float.IsNaN(value) ? "-" : value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Bound(double? value, string unbounded) => value?.ToString("R", CultureInfo.InvariantCulture) ?? unbounded;

    private static Command Promote()
    {
        var data = new DataOptions();
        var name = new Option<string>("--name") { Required = true, Description = "Model name" };
        var version = new Option<string>("--version") { Required = true, Description = "Version to point the alias at" };
        var alias = new Option<string>("--alias") { Description = "Alias to move", DefaultValueFactory = _ => ModelRegistry.Production };
        var command = new Command("promote", "Point an alias (production by default) at a version; running servers switch within seconds") { name, version, alias };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            var moved = await new ModelRegistry(store, options.ModelStoreDirectory)
                .PromoteAsync(parse.GetRequiredValue(name), parse.GetRequiredValue(version), DataOptions.Actor, parse.GetRequiredValue(alias));
            parse.InvocationConfiguration.Output.WriteLine($"{moved.Name}:{moved.Alias} → {moved.Version}{(moved.PreviousVersion is { } p ? $" (was {p})" : "")}");
            return 0;
        }));
        return command;
    }

    private static Command Rollback()
    {
        var data = new DataOptions();
        var name = new Option<string>("--name") { Required = true, Description = "Model name" };
        var alias = new Option<string>("--alias") { Description = "Alias to move back", DefaultValueFactory = _ => ModelRegistry.Production };
        var to = new Option<string?>("--to") { Description = "The version to go back to (default: the one before the change that brought the current version)" };
        var command = new Command("rollback", "Point an alias back at an earlier version; run again, it steps further back") { name, alias, to };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            var moved = await new ModelRegistry(store, options.ModelStoreDirectory)
                .RollbackAsync(parse.GetRequiredValue(name), DataOptions.Actor, parse.GetRequiredValue(alias), parse.GetValue(to));
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"{moved.Name}:{moved.Alias} → {moved.Version}");
            output.WriteLine(moved.PreviousVersion is { } further ? $"  a further rollback goes to {further}" : "  no earlier version to roll back to");
            return 0;
        }));
        return command;
    }

    private static Command Split()
    {
        var data = new DataOptions();
        var name = new Option<string>("--name") { Required = true, Description = "Model name" };
        var shares = new Option<string?>("--shares") { Description = "VERSION=PERCENT,… summing to 100, e.g. 1.0.0=90,1.1.0=10" };
        var clear = new Option<bool>("--clear") { Description = "Remove the split: all traffic to production" };
        var command = new Command("split", "Share a model's traffic between versions, sticky per entity id") { name, shares, clear };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var error = parse.InvocationConfiguration.Error;
            var parsed = new List<SplitShare>();
            if (!parse.GetValue(clear))
            {
                if (parse.GetValue(shares) is not { Length: > 0 } text)
                {
                    return CliFailure.Report(error, "give --shares VERSION=PERCENT,… or --clear");
                }

                foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var pieces = part.Split('=', 2, StringSplitOptions.TrimEntries);
                    if (pieces.Length != 2 || !int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out int percent))
                    {
                        return CliFailure.Report(error, $"\"{part}\" is not VERSION=PERCENT");
                    }

                    parsed.Add(new SplitShare(pieces[0], percent));
                }
            }

            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            var split = await new ModelRegistry(store, options.ModelStoreDirectory).SplitAsync(parse.GetRequiredValue(name), parsed, DataOptions.Actor);
            parse.InvocationConfiguration.Output.WriteLine(split.Shares.Count == 0
                ? $"{split.Name}: no split; all traffic to production"
                : $"{split.Name}: {string.Join(", ", split.Shares.Select(s => $"{s.Version}={s.Percent}%"))} (sticky by entity id)");
            return 0;
        }));
        return command;
    }

    private static Command Shadow()
    {
        var data = new DataOptions();
        var name = new Option<string>("--name") { Required = true, Description = "Model name" };
        var version = new Option<string?>("--version") { Description = "The candidate version, scored in the shadow of what is served" };
        var percent = new Option<int>("--percent") { DefaultValueFactory = _ => 100, Description = "Share of scored rows the candidate scores too (1–100)" };
        var cuts = new Option<string?>("--cuts") { Description = "Band boundaries a changed answer is counted across, ascending, e.g. 0.4,0.7 (default 0.5: the decision)" };
        var stop = new Option<bool>("--stop") { Description = "Stop the model's shadow" };
        var command = new Command("shadow", "Score a candidate version on the same rows as what is served, after the answer and never answered; compare them with GET /api/v1/models/{name}/shadow/report")
        {
            name, version, percent, cuts, stop,
        };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var error = parse.InvocationConfiguration.Error;
            var options = data.Read(parse);
            string model = parse.GetRequiredValue(name);
            if (parse.GetValue(stop))
            {
                using var stopping = await DataOptions.OpenStoreAsync(options);
                bool stopped = await new ModelRegistry(stopping, options.ModelStoreDirectory).StopShadowAsync(model, DataOptions.Actor);
                parse.InvocationConfiguration.Output.WriteLine(stopped ? $"{model}: shadow stopped" : $"{model}: had no shadow");
                return 0;
            }

            if (parse.GetValue(version) is not { Length: > 0 } candidate)
            {
                return CliFailure.Report(error, "give --version VERSION (the candidate), or --stop");
            }

            var bands = new List<double>();
            foreach (var part in (parse.GetValue(cuts) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double cut))
                {
                    return CliFailure.Report(error, $"--cuts: \"{part}\" is not a number");
                }

                bands.Add(cut);
            }

            using var store = await DataOptions.OpenStoreAsync(options);
            var shadow = await new ModelRegistry(store, options.ModelStoreDirectory).ShadowAsync(model, candidate, parse.GetValue(percent), bands, DataOptions.Actor);
            parse.InvocationConfiguration.Output.WriteLine($"{model}: shadow {Describe(shadow)}; its answers are compared, never returned");
            return 0;
        }));
        return command;
    }

    private static Command Outcomes()
    {
        var data = new DataOptions();
        var name = new Option<string>("--name") { Required = true, Description = "Model name" };
        var file = new Option<string>("--file") { Required = true, Description = "A CSV with a header: entity_id, label and (optionally) at (ISO 8601; now when empty)" };
        var command = new Command("outcomes", "Record what became of scored entities (did the lead convert?), matched with the version that scored each") { name, file };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var error = parse.InvocationConfiguration.Error;
            string model = parse.GetRequiredValue(name);
            var inputs = OutcomeRows.Read(parse.GetRequiredValue(file));
            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            var production = (await store.ListAliasesAsync(model)).FirstOrDefault(a => a.Alias == ModelRegistry.Production);
            if (production is null)
            {
                return CliFailure.Report(error, $"{model} has no production version: its objective decides which labels it can be measured against");
            }

            using var host = new Skillscope.Scoring.Serving.ModelHost(store, options.ModelStoreDirectory);
            var loaded = await host.LoadVersionAsync(model, production.Version) ?? throw new RegistryException("version_not_found", $"{model} {production.Version} is not registered");
            var (recorded, refused) = await OutcomeIntake.RecordAsync(store.Outcomes, model, loaded.Package.Model.Objective.Name, inputs, DateTime.UtcNow);
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model}: {recorded:N0} outcomes recorded, {refused.Count:N0} refused"));
            foreach (var refusal in refused.Take(20))
            {
                // Data rows are numbered from 1, after the header.
                output.WriteLine($"  row {refusal.Index + 1}{(refusal.EntityId is { } id ? $" ({id})" : "")}: {refusal.Code}: {refusal.Message}");
            }

            if (refused.Count > 20)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {refused.Count - 20:N0} more"));
            }

            return 0;
        }));
        return command;
    }

    private static string Describe(ShadowDeployment shadow) =>
        string.Create(CultureInfo.InvariantCulture, $"{shadow.Version} on {shadow.Percent}% of rows, bands cut at {string.Join(", ", shadow.Cuts)}");
}
