using Skillscope.Server.Eventing;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>Which receivers events may be posted to: public addresses only, unless the installation allows its private network or this machine.</summary>
public sealed class ReceiverAddressesTests
{
    [Theory]
    [InlineData("http://10.0.0.7/hook", "a private address")]
    [InlineData("http://172.20.1.1/hook", "a private address")]
    [InlineData("http://192.168.1.10/hook", "a private address")]
    [InlineData("http://100.64.3.2/hook", "shared")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("http://224.0.0.1/hook", "multicast")]
    [InlineData("http://0.1.2.3/hook", "this network")]
    [InlineData("http://[fd12:3456::1]/hook", "unique-local")]
    [InlineData("http://[fe80::1]/hook", "link-local")]
    [InlineData("http://127.0.0.1:8080/hook", "this server")]
    [InlineData("http://[::1]/hook", "this server")]
    [InlineData("http://[::ffff:10.0.0.7]/hook", "a private address")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/hook", "NAT64")]
    [InlineData("http://[2002:a9fe:a9fe::1]/hook", "6to4")]
    public async Task Inward_addresses_are_refused_naming_why(string url, string why)
    {
        string? problem = await new ReceiverAddresses(allowLocal: false).ProblemAsync(url, CancellationToken.None);
        Assert.NotNull(problem);
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://93.184.215.14/hooks/skillscope")]
    [InlineData("http://192.0.2.10/hook")]
    [InlineData("https://[2606:4700::1111]/hook")]
    public async Task Public_addresses_are_accepted(string url) =>
        Assert.Null(await new ReceiverAddresses(allowLocal: false).ProblemAsync(url, CancellationToken.None));

    [Fact]
    public async Task An_installation_may_allow_its_private_network_and_tests_this_machine()
    {
        Assert.Null(await new ReceiverAddresses(allowLocal: false, allowPrivate: true).ProblemAsync("http://10.0.0.7/hook", CancellationToken.None));
        Assert.Null(await new ReceiverAddresses(allowLocal: false, allowPrivate: true).ProblemAsync("http://[fd12::1]/hook", CancellationToken.None));
        Assert.Contains("link-local", await new ReceiverAddresses(allowLocal: false, allowPrivate: true).ProblemAsync("http://169.254.169.254/", CancellationToken.None),
            StringComparison.Ordinal);
        Assert.Contains("this server", await new ReceiverAddresses(allowLocal: false, allowPrivate: true).ProblemAsync("http://127.0.0.1/hook", CancellationToken.None), StringComparison.Ordinal);
        Assert.Null(await new ReceiverAddresses(allowLocal: true).ProblemAsync("http://127.0.0.1/hook", CancellationToken.None));
        Assert.Contains("http or https", await new ReceiverAddresses(allowLocal: true).ProblemAsync("ftp://10.0.0.7/x", CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("user name or password", await new ReceiverAddresses(allowLocal: true).ProblemAsync("http://u:p@example.org/x", CancellationToken.None), StringComparison.Ordinal);
    }
}
