using System.Net;
using System.Text.RegularExpressions;

namespace Skillscope.Cli.Tests;

/// <summary>A browser-like HTTP session with the dashboard: cookies kept, redirects visible, forms posted with their antiforgery token.</summary>
internal sealed partial class DashboardSession : IDisposable
{
    private readonly HttpClient _client;

    /// <param name="address">The server.</param>
    /// <param name="cookies">Another session's cookies, to carry a sign-in to another server (a replica).</param>
    public DashboardSession(Uri address, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = address };
        _client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
    }

    public CookieContainer Cookies { get; }

    /// <summary>Signs in through the login form (posted to <paramref name="path"/>, with a <c>return_url</c> when given); returns where the server redirected.</summary>
    public async Task<string?> SignInAsync(string username, string password, string? returnUrl = null, string path = "/login")
    {
        using var response = await PostSignInAsync(username, password, returnUrl, path);
        return response.Headers.Location?.ToString();
    }

    /// <summary>The sign-in form's post as it was answered.</summary>
    public async Task<HttpResponseMessage> PostSignInAsync(string username, string password, string? returnUrl = null, string path = "/login")
    {
        string form = await _client.GetStringAsync("/login");
        var fields = new Dictionary<string, string> { ["username"] = username, ["password"] = password, ["__RequestVerificationToken"] = Token(form) };
        if (returnUrl is not null)
        {
            fields["return_url"] = returnUrl;
        }

        return await _client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    public async Task<(HttpStatusCode Status, string Body, string? Location)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString());
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields) => _client.PostAsync(path, new FormUrlEncodedContent(fields));

    /// <summary>A form post whose fields may repeat (several inputs of one name).</summary>
    public Task<HttpResponseMessage> PostFieldsAsync(string path, IEnumerable<(string Name, string Value)> fields) =>
        _client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    /// <summary>Student ids linked from a search results page.</summary>
    public static IReadOnlyList<string> StudentLinks(string html) => [.. StudentLink().Matches(html).Select(m => m.Groups[1].Value)];

    public static string Token(string html) => TokenInput().Match(html).Groups[1].Value;

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("href=\"/students/([^\"?]+)\"")]
    private static partial Regex StudentLink();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
