using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Import;
using Skillscope.Server.Hosting;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope import PATH [--kind KIND]</c>: roster and evidence from CSV or JSONL. A directory
/// imports every file named after a kind (<c>students.csv</c>, <c>utterances.jsonl</c>, …) in order.
/// Bad rows are listed with their line numbers; the good rows are imported; exit code 3 says some were rejected.
/// </summary>
internal static class ImportCommand
{
    /// <summary>Exit code when the import finished but rejected some rows.</summary>
    public const int RowsRejected = 3;

    public static Command Create()
    {
        var data = new DataOptions(fillsData: true);
        var path = new Argument<string>("path") { Description = "A directory of import files, or one CSV/JSONL file" };
        var kind = new Option<string?>("--kind") { Description = $"What a single file holds ({ImportKinds.All}); default: from its name" };
        var command = new Command("import", "Import roster and evidence (CSV or JSONL); re-importing the same rows changes nothing") { path, kind };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var output = parse.InvocationConfiguration.Output;
            string target = parse.GetRequiredValue(path);
            var options = data.Read(parse);
            IReadOnlyList<ImportResult> results;
            if (Directory.Exists(target))
            {
                using var store = await DataOptions.OpenStoreAsync(options);
                using var services = AssessmentServices.Open(options, store);
                results = await services.GetRequiredService<EvidenceImporter>().ImportDirectoryAsync(target, new InlineProgress<ImportResult>(r => Print(output, r)));
                if (results.Count == 0)
                {
                    return CliFailure.Report(parse.InvocationConfiguration.Error, $"{target} has no import files (expected names such as students.csv or utterances.jsonl; kinds: {ImportKinds.All})");
                }
            }
            else if (File.Exists(target))
            {
                string name = parse.GetValue(kind) ?? Path.GetFileName(target).Split('.')[0];
                if (!ImportKinds.TryParse(name, out var parsed))
                {
                    return CliFailure.Report(parse.InvocationConfiguration.Error, $"cannot tell what {target} holds; pass --kind ({ImportKinds.All})");
                }

                using var store = await DataOptions.OpenStoreAsync(options);
                using var services = AssessmentServices.Open(options, store);
                var result = await services.GetRequiredService<EvidenceImporter>().ImportFileAsync(parsed, target);
                Print(output, result);
                results = [result];
            }
            else
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"{target} does not exist", CliFailure.InputError);
            }

            long rejected = results.Sum(r => r.Rejected);
            output.WriteLine($"imported: {results.Sum(r => r.Written):N0} rows written, {results.Sum(r => r.Unchanged):N0} already stored, {rejected:N0} rejected");
            return rejected > 0 ? RowsRejected : 0;
        }));
        return command;
    }

    private static void Print(TextWriter output, ImportResult result)
    {
        output.WriteLine($"{result.Kind,-11} {result.Rows,10:N0} rows  {result.Written,10:N0} written  {result.Unchanged,10:N0} unchanged  {result.Rejected,8:N0} rejected  ({result.Source})");
        foreach (var error in result.Errors)
        {
            output.WriteLine($"  {result.Source} line {error.Line}: {error.Message}");
        }

        if (result.Rejected > result.Errors.Count)
        {
            output.WriteLine($"  … and {result.Rejected - result.Errors.Count:N0} more rejected rows");
        }
    }
}
