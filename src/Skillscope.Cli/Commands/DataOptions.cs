using System.CommandLine;
using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Storage;

namespace Skillscope.Cli.Commands;

/// <summary><c>--data-dir</c> and <c>--db</c>, shared by every verb that touches the registry.</summary>
internal sealed class DataOptions
{
    private readonly Option<string> _dataDirectory = new("--data-dir")
    {
        Description = "Directory for the SQLite database, the model store and configuration",
        DefaultValueFactory = _ => ServerOptions.DefaultDataDirectory,
    };

    private readonly Option<string?> _database = new("--db")
    {
        Description = "PostgreSQL connection string to use instead of the SQLite file (or set SKILLSCOPE_DB)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_dataDirectory);
        command.Options.Add(_database);
    }

    public ServerOptions Read(ParseResult parse) =>
        new(parse.GetValue(_dataDirectory)!, parse.GetValue(_database) ?? Environment.GetEnvironmentVariable("SKILLSCOPE_DB"));

    public static SqlRegistryStore OpenStore(ServerOptions options) => StoreFactory.OpenAsync(options).GetAwaiter().GetResult();

    /// <summary>Who the audit log names for changes made from this command line.</summary>
    public static string Actor => $"cli:{Environment.UserName}";
}
