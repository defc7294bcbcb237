namespace Skillscope.Server;

/// <summary>Where the server keeps its state and how it is reached.</summary>
/// <param name="DataDirectory">Holds the SQLite file (<c>skillscope.db</c>), the model store (<c>models/</c>), the fusion weights (<c>fusion-weights.json</c>) and optional settings (<c>skillscope.json</c>).</param>
/// <param name="DatabaseConnectionString">A PostgreSQL connection string to use instead of the SQLite file.</param>
public sealed record ServerOptions(string DataDirectory, string? DatabaseConnectionString = null)
{
    public const string DefaultDataDirectory = "skillscope-data";

    /// <summary>Optional settings file in the data directory (e.g. <c>{"RateLimit": {"PermitsPerSecond": 200}}</c>).</summary>
    public const string SettingsFile = "skillscope.json";

    public string ModelStoreDirectory => Path.Combine(DataDirectory, "models");

    public string SqlitePath => Path.Combine(DataDirectory, "skillscope.db");

    /// <summary>The fusion weights in force (written with the defaults when absent; edits are picked up while running).</summary>
    public string FusionWeightsPath => Path.Combine(DataDirectory, "fusion-weights.json");
}
