namespace Skillscope.Cli.Tests;

/// <summary>The models real XGBoost wrote for the parity tests, copied beside the test assembly.</summary>
internal static class ParityFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures", "parity");

    /// <summary>A small binary:logistic model taking feat_0 … feat_11.</summary>
    public static string LogisticModel => Path.Combine(Directory, "binary_logistic", "model.json");
}
