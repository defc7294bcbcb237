using System.Diagnostics;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>
/// A fact that needs Debian's Python with XGBoost (<c>/usr/bin/python3</c> + <c>python3-xgboost</c>).
/// Skipped on a developer machine without it; under <c>CI=true</c> it runs and fails if the tools are missing,
/// because CI installs them.
/// </summary>
public sealed class RequiresXgboostFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(Probe);

    public RequiresXgboostFactAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && !Available.Value)
        {
            Skip = $"{Python} with xgboost is not installed (apt-get install python3-xgboost)";
        }
    }

    private static bool Probe()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import xgboost"]) { RedirectStandardError = true });
            process!.WaitForExit(30_000);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
