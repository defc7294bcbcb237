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
        Description = "PostgreSQL connection string to use instead of the SQLite file (or set SKILLSCOPE_DB, or SKILLSCOPE_DB_FILE to a file holding it)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_dataDirectory);
        command.Options.Add(_database);
    }

    public ServerOptions Read(ParseResult parse) =>
        new(parse.GetValue(_dataDirectory)!, ConnectionString(parse.GetValue(_database), Environment.GetEnvironmentVariable));

    /// <summary>
    /// The PostgreSQL connection string, if any: <c>--db</c>, else <c>SKILLSCOPE_DB</c>, else the trimmed
    /// content of the file <c>SKILLSCOPE_DB_FILE</c> names (a mounted secret, so the password is in no
    /// environment or process listing).
    /// </summary>
    /// <exception cref="IOException">The file cannot be read or is empty; the message names the file, never its content.</exception>
    public static string? ConnectionString(string? option, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(option))
        {
            return option;
        }

        if (environment("SKILLSCOPE_DB") is { Length: > 0 } variable)
        {
            return variable;
        }

        if (environment("SKILLSCOPE_DB_FILE") is not { Length: > 0 } file)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(file).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"SKILLSCOPE_DB_FILE \"{file}\" cannot be read: {exception.Message}", exception);
        }

        return text.Length > 0 ? text : throw new IOException($"SKILLSCOPE_DB_FILE \"{file}\" is empty: it must hold the PostgreSQL connection string");
    }

    public static SqlRegistryStore OpenStore(ServerOptions options) => StoreFactory.OpenAsync(options).GetAwaiter().GetResult();

    /// <summary>Who the audit log names for changes made from this command line.</summary>
    public static string Actor => $"cli:{Environment.UserName}";
}
