using System.CommandLine;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope generate</c>: a seeded synthetic district written as import files.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var students = new Option<int>("--students") { Description = "How many students (100 to 1,000,000)", DefaultValueFactory = _ => 2000 };
        var seed = new Option<int>("--seed") { Description = "The same seed gives the same district", DefaultValueFactory = _ => 7 };
        var output = new Option<string>("--out") { Description = "Directory for the files", Required = true };
        var gzip = new Option<bool>("--gzip") { Description = "Write utterances, events and ratings gzip-compressed (*.gz, about a tenth of the size); import reads them as they are" };
        var termsAgo = new Option<int>("--terms-ago") { Description = "Date the evidence and ratings this many terms before the one that ended hours ago (0 to 20; default 0)" };
        var drift = new Option<double>("--drift")
        {
            Description = "0 to 1: the same seed's students a term on, their skills moved and shown differently by the evidence (a new game, new classroom language); 0 (the default) is the first term",
        };
        var command = new Command("generate", "Generate a synthetic district: roster, transcripts, game events and teacher ratings (latent skills in latent.csv, for validation only); its term ended hours ago, so the evidence is recent — the same seed within the same hour gives the same district")
        {
            students, seed, output, gzip, termsAgo, drift,
        };
        command.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            int count = parse.GetValue(students);
            if (count is < 100 or > 1_000_000)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--students must be between 100 and 1,000,000");
            }

            if (parse.GetValue(termsAgo) is < 0 or > 20)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--terms-ago must be between 0 and 20");
            }

            if (parse.GetValue(drift) is < 0 or > 1 or double.NaN)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--drift must be between 0 and 1");
            }

            var termStart = DistrictGenerator.RecentTermStart(DateTime.UtcNow).AddDays(-parse.GetValue(termsAgo) * (DistrictGenerator.TermDays + 2));
            var generator = new DistrictGenerator(parse.GetValue(seed), termStart: termStart, drift: parse.GetValue(drift));
            var roster = generator.Roster(count);
            string directory = parse.GetRequiredValue(output);
            var (utterances, events) = DistrictWriter.Write(generator, roster, directory, SkillCatalog.Default.Skills, parse.GetValue(gzip));
            parse.InvocationConfiguration.Output.WriteLine(
                $"wrote {roster.Students.Count:N0} students in {roster.Classes.Count:N0} classes and {roster.Schools.Count:N0} schools, {utterances:N0} utterances, {events:N0} events to {directory}");
            return 0;
        }));
        return command;
    }
}
