using System.Net;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests.Security;

/// <summary>Where a sign-in may send the browser, and how many passwords an address may try, whatever the spelling of the path.</summary>
public sealed class SignInSafetyTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/students\r\nSet-Cookie: x=y")]
    public async Task A_return_url_that_leaves_the_site_is_replaced_by_the_start_page(string returnUrl)
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var session = new DashboardSession(served.Address);
        Assert.Equal("/students", await session.SignInAsync("teacher", district.Password("teacher"), returnUrl));
    }

    [Fact]
    public async Task A_return_url_on_the_site_is_followed()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var session = new DashboardSession(served.Address);
        Assert.Equal("/classes?x=1", await session.SignInAsync("teacher", district.Password("teacher"), "/classes?x=1"));
    }

    [Fact]
    public async Task Another_spelling_of_the_sign_in_path_counts_against_the_same_tries()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var session = new DashboardSession(served.Address);
        for (int i = 0; i < 12; i++)
        {
            using var guess = await session.PostSignInAsync("teacher", "wrong " + i);
        }

        foreach (string path in new[] { "/LOGIN", "/Login", "/login/" })
        {
            using var response = await session.PostSignInAsync("teacher", "wrong again", path: path);
            Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{path}: {(int)response.StatusCode}");
        }
    }
}
