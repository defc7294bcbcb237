namespace Skillscope.Server;

/// <summary>Where the server keeps its state and how it is reached.</summary>
/// <param name="DataDirectory">Holds the SQLite file (<c>skillscope.db</c>) and the model store (<c>models/</c>).</param>
/// <param name="DatabaseConnectionString">A PostgreSQL connection string to use instead of the SQLite file.</param>
public sealed record ServerOptions(string DataDirectory, string? DatabaseConnectionString = null)
{
    public const string DefaultDataDirectory = "skillscope-data";

    public string ModelStoreDirectory => Path.Combine(DataDirectory, "models");

    public string SqlitePath => Path.Combine(DataDirectory, "skillscope.db");
}
