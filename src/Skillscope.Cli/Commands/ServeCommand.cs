using System.CommandLine;
using Skillscope.Server;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope serve</c>: the HTTP API over the registry, until Ctrl+C (in-flight requests drain).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new DataOptions(fillsData: true);
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, e.g. http://127.0.0.1:8080",
            DefaultValueFactory = _ => "http://127.0.0.1:8080",
        };
        var command = new Command("serve", "Serve the scoring API: models promoted in the registry, API-key authentication, health and OpenAPI") { urls };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            var app = SkillscopeServer.Create(options, store, ["--urls", parse.GetRequiredValue(urls)]);
            await app.RunAsync();
            return 0;
        }));
        return command;
    }
}
