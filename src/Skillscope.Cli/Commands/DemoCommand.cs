using System.CommandLine;
using Skillscope.Cli.Demo;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope demo</c>: the skill assessment system end to end on a generated district; <c>skillscope demo leads</c>:
/// the lead-conversion model, trained, calibrated, registered and ready to score.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var data = new DataOptions(fillsData: true);
        var count = new Option<int>("--leads") { Description = "How many synthetic leads to generate", DefaultValueFactory = _ => 20_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same leads and model", DefaultValueFactory = _ => 7 };
        var leads = new Command("leads", "Generate CRM leads, train and calibrate lead_conversion, register and promote it, and store the test leads for scoring by id")
        {
            count, seed,
        };
        data.AddTo(leads);
        leads.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            int n = parse.GetValue(count);
            if (n is < 1000 or > 5_000_000)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--leads must be between 1,000 and 5,000,000");
            }

            return await LeadDemo.RunAsync(n, parse.GetValue(seed), data.Read(parse), parse.InvocationConfiguration.Output);
        }));
        var skillsData = new DataOptions(fillsData: true);
        var students = new Option<int>("--students") { Description = "Students in the generated district", DefaultValueFactory = _ => 2_000 };
        var skillsSeed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same district and models", DefaultValueFactory = _ => 7 };
        var urls = new Option<string?>("--urls") { Description = "Where to listen, as for serve (default http://127.0.0.1:8080)" };
        var port = new Option<int?>("--port") { Description = "Port to serve on at 127.0.0.1 (a shorthand for --urls)" };
        var noServe = new Option<bool>("--no-serve") { Description = "Prepare everything, print the summary and the key, and exit" };
        var demo = new Command("demo", "The whole system on a generated district: generate, import, train, assess, serve (or `demo leads`)")
        {
            students, skillsSeed, urls, port, noServe, leads,
        };
        skillsData.AddTo(demo);
        demo.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            int n = parse.GetValue(students);
            if (n is < 200 or > 1_000_000)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--students must be between 200 and 1,000,000");
            }

            if (parse.GetValue(port) is < 1 or > 65_535)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--port must be between 1 and 65535");
            }

            if (parse.GetValue(urls) is not null && parse.GetValue(port) is not null)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "give --urls or --port, not both");
            }

            string listen = parse.GetValue(urls) ?? $"http://127.0.0.1:{parse.GetValue(port) ?? 8080}";
            if (SkillsDemo.BrowsableAddress(listen) is not { } address)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"--urls \"{listen}\" is not an http:// or https:// address");
            }

            return await SkillsDemo.RunAsync(n, parse.GetValue(skillsSeed), listen, address, !parse.GetValue(noServe), skillsData.Read(parse), parse.InvocationConfiguration.Output);
        }));
        return demo;
    }
}
