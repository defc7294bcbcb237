using System.CommandLine;
using System.Text.RegularExpressions;
using Skillscope.Server;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope serve</c>: the HTTP API over the registry, until Ctrl+C (in-flight requests drain).</summary>
internal static partial class ServeCommand
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

        // Settings may follow the options, as configuration keys: --Batch:Schedule=off (docs/DEPLOY.md).
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            var settings = new List<string>();
            foreach (string token in parse.UnmatchedTokens)
            {
                settings.Add(Setting().IsMatch(token) ? token
                    : throw new CliUsageException($"unrecognized argument '{token}'; options are --urls, --data-dir and --db, and a setting is written --Section:Key=value (e.g. --Batch:Schedule=off)"));
            }

            var app = SkillscopeServer.Create(options, store, ["--urls", parse.GetRequiredValue(urls), .. settings]);
            await app.RunAsync();
            return 0;
        }));
        return command;
    }

    [GeneratedRegex("^--[A-Za-z][A-Za-z0-9_]*(:[A-Za-z0-9_]+)+=")]
    private static partial Regex Setting();
}
