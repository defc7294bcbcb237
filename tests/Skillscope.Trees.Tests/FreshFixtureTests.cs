using System.Diagnostics;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>
/// Runs the committed fixture script with the real XGBoost into a new folder and checks the engine against
/// everything it wrote: the script stays runnable, and parity holds on models made fresh, not only on the
/// committed copies.
/// </summary>
public sealed class FreshFixtureTests
{
    [RequiresXgboostFact]
    public void Models_freshly_trained_by_xgboost_are_predicted_exactly()
    {
        string output = Directory.CreateTempSubdirectory("skillscope-parity-").FullName;
        try
        {
            string script = Path.Combine(AppContext.BaseDirectory, "fixtures", "make_parity_fixtures.py");
            var start = new ProcessStartInfo(RequiresXgboostFactAttribute.Python, [script, output])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(300_000), "the fixture script did not finish in 5 minutes");
            Assert.True(process.ExitCode == 0, stderr);

            var folders = Directory.GetDirectories(output);
            Assert.True(folders.Length >= 20, $"only {folders.Length} cases were written: {stdout.Result}");
            foreach (string folder in folders)
            {
                var fixture = ParityCase.LoadFolder(folder);
                foreach (string format in File.Exists(fixture.ModelPath("ubj")) ? new[] { "json", "ubj" } : ["json"])
                {
                    ParityTests.AssertBatchMatches(fixture, format);
                    ParityTests.AssertLeavesMatch(fixture, format);
                    ParityTests.AssertContributionsMatch(fixture, format);
                    ParityTests.AssertImportancesMatch(fixture, format);
                }
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
