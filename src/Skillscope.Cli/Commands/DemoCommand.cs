using System.CommandLine;
using Skillscope.Cli.Demo;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope demo leads</c>: the lead-conversion model, trained, calibrated, registered and ready to score.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var count = new Option<int>("--leads") { Description = "How many synthetic leads to generate", DefaultValueFactory = _ => 20_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same leads and model", DefaultValueFactory = _ => 7 };
        var leads = new Command("leads", "Generate CRM leads, train and calibrate lead_conversion, register and promote it, and store the test leads for scoring by id")
        {
            count, seed,
        };
        data.AddTo(leads);
        leads.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            int n = parse.GetValue(count);
            if (n is < 1000 or > 5_000_000)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--leads must be between 1,000 and 5,000,000");
            }

            return LeadDemo.Run(n, parse.GetValue(seed), data.Read(parse), parse.InvocationConfiguration.Output);
        }));
        return new Command("demo", "Demonstrations on generated data") { leads };
    }
}
