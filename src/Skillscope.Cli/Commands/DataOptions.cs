using System.CommandLine;
using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Storage;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>--data-dir</c> and <c>--db</c>, shared by every verb that touches the registry. A verb that only
/// works on what a data directory holds refuses one that does not exist (unless <c>--create</c>): run from
/// another folder, it used to make a new, empty registry there, and what it did was never seen by the
/// server. Verbs that fill a data directory (demo, import, training, serve) make it when needed.
/// </summary>
internal sealed class DataOptions
{
    private readonly Option<string> _dataDirectory = new("--data-dir")
    {
        Description = "Directory for the SQLite database, the model store and configuration (or set SKILLSCOPE_DATA_DIR)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SKILLSCOPE_DATA_DIR") is { Length: > 0 } variable ? variable : ServerOptions.DefaultDataDirectory,
    };

    private readonly Option<string?> _database = new("--db")
    {
        Description = "PostgreSQL connection string to use instead of the SQLite file (or set SKILLSCOPE_DB, or SKILLSCOPE_DB_FILE to a file holding it)",
    };

    private readonly Option<bool>? _create;

    /// <param name="fillsData">The verb fills a data directory, so it makes one that does not exist.</param>
    public DataOptions(bool fillsData = false)
    {
        if (!fillsData)
        {
            _create = new Option<bool>("--create") { Description = "Make the data directory if it does not exist (a new, empty registry)" };
        }
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_dataDirectory);
        command.Options.Add(_database);
        if (_create is not null)
        {
            command.Options.Add(_create);
        }
    }

    /// <exception cref="CliUsageException">The data directory does not exist, and this verb would only make an empty one.</exception>
    public ServerOptions Read(ParseResult parse)
    {
        string directory = parse.GetValue(_dataDirectory)!;
        string? connection = ConnectionString(parse.GetValue(_database), Environment.GetEnvironmentVariable);

        // With a database the directory is only this machine's cache of model packages.
        if (_create is not null && connection is null && !Directory.Exists(directory) && !parse.GetValue(_create))
        {
            throw new CliUsageException(
                $"there is no data directory at {Path.GetFullPath(directory)}; give the one the server uses with --data-dir (or set SKILLSCOPE_DATA_DIR), " +
                "or add --create to start a new, empty one there (skillscope demo makes one with a district and models)");
        }

        return new(directory, connection);
    }

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

    public static Task<SqlRegistryStore> OpenStoreAsync(ServerOptions options) => StoreFactory.OpenAsync(options);

    /// <summary>Who the audit log names for changes made from this command line.</summary>
    public static string Actor => $"cli:{Environment.UserName}";
}
