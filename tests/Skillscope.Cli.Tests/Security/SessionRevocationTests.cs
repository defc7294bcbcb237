using System.Net;
using Skillscope.Server.Dashboard;
using Skillscope.Server.Hosting;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests.Security;

/// <summary>Dashboard sessions end when they should: at sign-out, on a password reset or a disabled account, everywhere on request, and after their lifetime.</summary>
public sealed class SessionRevocationTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    // A session's state is cached for a few seconds per replica; a change made elsewhere is seen after that.
    private static readonly TimeSpan Seen = DashboardSessions.CheckEvery + TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_cookie_kept_from_before_sign_out_signs_nobody_in_after_it()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        string password = CreateAdmin("kept-cookie");
        using var session = new DashboardSession(served.Address);
        Assert.Equal("/students", await session.SignInAsync("kept-cookie", password));
        var copied = new CookieContainer();
        copied.Add(session.Cookies.GetAllCookies());
        using var thief = new DashboardSession(served.Address, copied);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/students")).Status);

        var (_, page, _) = await session.GetAsync("/students");
        using var signedOut = await session.PostFormAsync("/logout", new() { ["__RequestVerificationToken"] = DashboardSession.Token(page) });
        Assert.Equal("/login", signedOut.Headers.Location?.ToString());
        AssertSignedOut(await thief.GetAsync("/students"));
    }

    [Fact]
    public async Task A_password_reset_or_a_disabled_account_ends_its_sessions_and_enabling_it_lets_it_sign_in_again()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        string password = CreateAdmin("reset-me");
        using var session = new DashboardSession(served.Address);
        Assert.Equal("/students", await session.SignInAsync("reset-me", password));

        var reset = CliRun.Of("users", "reset-password", "reset-me", "--data-dir", district.DataDirectory);
        Assert.True(reset.ExitCode == 0, reset.Error);
        string newPassword = reset.Output.TrimEnd().Split('\n')[^1].Trim();
        await UntilSignedOutAsync(session);
        Assert.StartsWith("/login?failed=1", await session.SignInAsync("reset-me", password), StringComparison.Ordinal);
        Assert.Equal("/students", await session.SignInAsync("reset-me", newPassword));

        Assert.Equal(0, CliRun.Of("users", "disable", "reset-me", "--data-dir", district.DataDirectory).ExitCode);
        await UntilSignedOutAsync(session);
        Assert.StartsWith("/login?failed=1", await session.SignInAsync("reset-me", newPassword), StringComparison.Ordinal);
        Assert.Matches(@"reset-me\s+admin\s+everything\s+disabled \d{4}-", CliRun.Of("users", "list", "--data-dir", district.DataDirectory).Output);

        var recreated = CliRun.Of("users", "create", "--role", "admin", "--username", "reset-me", "--data-dir", district.DataDirectory);
        Assert.Contains("it is disabled (enable it with: skillscope users enable reset-me)", recreated.Output, StringComparison.Ordinal);
        newPassword = recreated.Output.TrimEnd().Split('\n')[^1].Trim();
        Assert.Equal(0, CliRun.Of("users", "enable", "reset-me", "--data-dir", district.DataDirectory).ExitCode);
        Assert.Equal("/students", await session.SignInAsync("reset-me", newPassword));
        Assert.Matches(@"reset-me\s+admin\s+everything\s+enabled", CliRun.Of("users", "list", "--data-dir", district.DataDirectory).Output);

        var unknown = CliRun.Of("users", "disable", "nobody-here", "--data-dir", district.DataDirectory);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no dashboard account \"nobody-here\"", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_the_accounts_other_sessions_and_a_new_role_ends_them_too()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        string password = CreateAdmin("two-devices");
        using var laptop = new DashboardSession(served.Address);
        using var phone = new DashboardSession(served.Address);
        Assert.Equal("/students", await laptop.SignInAsync("two-devices", password));
        Assert.Equal("/students", await phone.SignInAsync("two-devices", password));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/students")).Status);

        var (_, page, _) = await laptop.GetAsync("/students");
        Assert.Contains("Sign out everywhere", page, StringComparison.Ordinal);
        using var everywhere = await laptop.PostFormAsync("/logout/everywhere", new() { ["__RequestVerificationToken"] = DashboardSession.Token(page) });
        Assert.Equal("/login", everywhere.Headers.Location?.ToString());
        await UntilSignedOutAsync(phone);

        // Creating the account again (another password, role or scope) ends its sessions too.
        Assert.Equal("/students", await phone.SignInAsync("two-devices", password));
        CreateAdmin("two-devices");
        await UntilSignedOutAsync(phone);
    }

    [Fact]
    public async Task An_active_session_still_ends_when_its_lifetime_is_over()
    {
        // A lifetime of 3.6 s, a request every half second: sliding expiry alone would keep it alive.
        await using var served = await ServedHost.StartAsync(district.DataDirectory, "--Dashboard:SessionHours=0.001");
        string password = CreateAdmin("lifetime");
        using var session = new DashboardSession(served.Address);

        // The lifetime runs from the sign-in: timed from before it, as a slow sign-in on a busy machine eats into it.
        var started = DateTime.UtcNow;
        Assert.Equal("/students", await session.SignInAsync("lifetime", password));
        while ((await session.GetAsync("/classes")).Status == HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "the session outlived its lifetime");
            await Task.Delay(500);
        }

        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(3), "the session ended before its lifetime");
        AssertSignedOut(await session.GetAsync("/classes"));
    }

    [Fact]
    public async Task A_failed_sign_in_is_logged_under_a_username_only_when_it_is_one()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        string password = CreateAdmin("typo-user");
        using var session = new DashboardSession(served.Address);
        Assert.StartsWith("/login?failed=1", await session.SignInAsync(password, "typo-user"), StringComparison.Ordinal);
        Assert.StartsWith("/login?failed=1", await session.SignInAsync("typo-user", "not the password"), StringComparison.Ordinal);

        using var store = await StoreFactory.OpenAsync(new Skillscope.Server.ServerOptions(district.DataDirectory));
        var failures = (await store.ListAuditAsync(200)).Where(a => a.Action == "dashboard.login_failed").Select(a => a.Actor).ToList();
        Assert.DoesNotContain(failures, actor => actor.Contains(password, StringComparison.Ordinal));
        Assert.Contains("user:(unknown)", failures);
        Assert.Contains("user:typo-user", failures);
    }

    private string CreateAdmin(string username)
    {
        var created = CliRun.Of("users", "create", "--role", "admin", "--username", username, "--data-dir", district.DataDirectory);
        Assert.True(created.ExitCode == 0, created.Error);
        return created.Output.TrimEnd().Split('\n')[^1].Trim();
    }

    private static void AssertSignedOut((HttpStatusCode Status, string Body, string? Location) page)
    {
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith("http", page.Location ?? "", StringComparison.Ordinal);
        Assert.Contains("/login?ReturnUrl=", page.Location, StringComparison.Ordinal);
    }

    private static async Task UntilSignedOutAsync(DashboardSession session)
    {
        var until = DateTime.UtcNow + Seen;
        while ((await session.GetAsync("/students")).Status == HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < until, $"the session was still on after {Seen.TotalSeconds} s");
            await Task.Delay(250);
        }

        AssertSignedOut(await session.GetAsync("/students"));
    }
}
