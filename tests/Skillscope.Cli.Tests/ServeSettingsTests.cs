using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// <c>serve</c> takes settings after its options as docs/DEPLOY.md says (<c>--Section:Key=value</c>), and a
/// setting or settings file that cannot work stops it with one line naming the problem.
/// </summary>
public sealed class ServeSettingsTests
{
    [Fact]
    public void A_setting_on_the_command_line_reaches_the_server_and_is_checked()
    {
        using var folder = new TempFolder();
        var run = CliRun.Of("serve", "--data-dir", folder.File("data"), "--urls", "http://127.0.0.1:0", "--RateLimit:PermitsPerSecond=0");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: RateLimit:PermitsPerSecond must be 1 or more (it is 0)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_argument_that_is_neither_an_option_nor_a_setting_is_a_usage_error()
    {
        using var folder = new TempFolder();
        var run = CliRun.Of("serve", "--data-dir", folder.File("data"), "--ulrs", "http://127.0.0.1:0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unrecognized argument '--ulrs'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_settings_file_that_is_not_json_stops_the_start_naming_the_file()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("data"));
        File.WriteAllText(folder.File(Path.Combine("data", "skillscope.json")), """{"RateLimit": {"PermitsPerSecond": """);
        var run = CliRun.Of("serve", "--data-dir", folder.File("data"), "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("skillscope.json", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }
}
