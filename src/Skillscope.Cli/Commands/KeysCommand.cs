using System.CommandLine;
using Skillscope.Server.Security;

namespace Skillscope.Cli.Commands;

/// <summary><c>skillscope keys create</c>: a new API key, printed once as the last line of output.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}", Required = true };
        var name = new Option<string>("--name") { Description = "Who or what the key is for", Required = true };
        var create = new Command("create", "Create an API key; it is shown once and stored only as a hash") { role, name };
        data.AddTo(create);
        create.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            using var store = DataOptions.OpenStore(data.Read(parse));
            var (record, key) = ApiKeys.CreateAsync(store, parse.GetRequiredValue(role), parse.GetRequiredValue(name), DataOptions.Actor).GetAwaiter().GetResult();
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"created {record.Role} key {record.Id} for \"{record.Name}\"; it is not shown again:");
            output.WriteLine(key);
            return 0;
        }));
        return new Command("keys", "Manage API keys") { create };
    }
}
