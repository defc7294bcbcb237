using System.CommandLine;
using Skillscope.Cli.Commands;

namespace Skillscope.Cli;

/// <summary>The <c>skillscope</c> command line: every verb, wired to the given output streams (so tests run it in-process).</summary>
internal static class CliApp
{
    /// <summary>The same, waited for (tests run the command line in-process this way).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => RunAsync(args, output, error).GetAwaiter().GetResult();

    /// <summary>Runs one command line; verbs that wait on a database, a network or a server do so asynchronously.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Skillscope: evidence-based skill assessment and XGBoost-compatible model scoring")
        {
            PredictCommand.Create(),
            InspectCommand.Create(),
            TrainCommand.Create(),
            EvaluateCommand.Create(),
            ModelsCommand.Create(),
            KeysCommand.Create(),
            UsersCommand.Create(),
            StudentsCommand.Create(),
            ExportCommand.Create(),
            ClassesCommand.CreateClasses(),
            ClassesCommand.CreateTeachers(),
            FeaturesCommand.Create(),
            DemoCommand.Create(),
            GenerateCommand.Create(),
            ImportCommand.Create(),
            AssessCommand.Create(),
            ValidateCommand.Create(),
            FusionCommand.Create(),
            RetrainCommand.Create(),
            ServeCommand.Create(),
            HealthCommand.Create(),
        };
        // Signals stay with whoever handles them today: the host drains on SIGTERM (serve), and a batch job
        // killed mid-way resumes from its last commit. System.CommandLine's own handling would end the
        // process two seconds after Ctrl+C, cutting a server's drain short.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        var parse = root.Parse(args);
        if (parse.Errors.Count == 0)
        {
            return parse.InvokeAsync(configuration);
        }

        if (parse.UnmatchedTokens.Count == 0 && parse.CommandResult.Command is { Action: null, Subcommands.Count: > 0 })
        {
            // A group of verbs with no action of its own, named without one ("skillscope", "skillscope
            // models"): what it offers. A verb that has an action and subverbs (train, demo) reports its errors.
            root.Parse([.. args, "--help"]).Invoke(configuration);
            return Task.FromResult(CliFailure.UsageError);
        }

        return Task.FromResult(UsageErrors.Report(parse, error));
    }
}
