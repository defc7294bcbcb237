using System.Net;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests.Security;

/// <summary>A word or an overflowing number where a page expects a number shows the page as if it were absent, never an error.</summary>
public sealed class HostileQueryTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Theory]
    [InlineData(null, "/login?failed=x")]
    [InlineData("teacher", "/students?grade=abc")]
    [InlineData("teacher", "/students?page=99999999999")]
    [InlineData("teacher", "/students?page=-5&grade=99999999999")]
    [InlineData("admin", "/admin/monitoring?days=abc")]
    [InlineData("admin", "/admin/fusion?saved=abc")]
    public async Task Pages_answer_200_whatever_the_query(string? user, string path)
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var session = new DashboardSession(served.Address);
        if (user is not null)
        {
            Assert.Equal("/students", await session.SignInAsync(user, district.Password(user)));
        }

        var (status, body, _) = await session.GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {body[..Math.Min(300, body.Length)]}");
    }
}
