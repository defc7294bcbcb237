using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests.Security;

/// <summary><c>skillscope keys create|list|revoke|rotate</c> as an operator uses them.</summary>
public sealed class KeyCommandTests
{
    [Fact]
    public void Keys_are_listed_with_their_state_and_expiry_rotated_and_revoked_and_bad_input_is_refused()
    {
        using var folder = new TempFolder();
        string data = folder.File("data");
        var created = CliRun.Of("keys", "create", "--role", "service", "--name", "nightly export", "--expires-in", "90d", "--data-dir", data, "--create");
        Assert.True(created.ExitCode == 0, created.Error);
        string id = System.Text.RegularExpressions.Regex.Match(created.Output, @"key (\w+) for").Groups[1].Value;
        Assert.Contains($", expiring {DateTime.UtcNow.AddDays(90):yyyy-MM-dd}", created.Output, StringComparison.Ordinal);
        Assert.StartsWith("sk_", created.Output.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);

        var listed = CliRun.Of("keys", "list", "--data-dir", data);
        Assert.Matches($@"{id}\s+nightly export\s+service\s+everything\s+active\s+\S+ \S+\s+{DateTime.UtcNow.AddDays(90):yyyy-MM-dd} \S+\s+0 never", listed.Output);
        Assert.DoesNotContain("sk_", listed.Output, StringComparison.Ordinal);

        var rotated = CliRun.Of("keys", "rotate", id, "--data-dir", data);
        Assert.True(rotated.ExitCode == 0, rotated.Error);
        string newId = System.Text.RegularExpressions.Regex.Match(rotated.Output, @"replacement (\w+) is").Groups[1].Value;
        Assert.StartsWith("sk_", rotated.Output.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Equal(0, CliRun.Of("keys", "revoke", newId, "--data-dir", data).ExitCode);
        listed = CliRun.Of("keys", "list", "--data-dir", data);
        Assert.Matches($@"{id}\s+nightly export\s+service\s+everything\s+revoked", listed.Output);
        Assert.Matches($@"{newId}\s+nightly export\s+service\s+everything\s+revoked", listed.Output);

        var again = CliRun.Of("keys", "revoke", newId, "--data-dir", data);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"no active API key has the id \"{newId}\"", again.Error, StringComparison.Ordinal);
        var badExpiry = CliRun.Of("keys", "create", "--role", "service", "--name", "x", "--expires-in", "tomorrow", "--data-dir", data);
        Assert.NotEqual(0, badExpiry.ExitCode);
        Assert.Contains("--expires-in \"tomorrow\" is not a lifetime", badExpiry.Error, StringComparison.Ordinal);
    }
}
