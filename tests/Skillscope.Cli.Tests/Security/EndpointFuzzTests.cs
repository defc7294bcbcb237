using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Skillscope.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Skillscope.Cli.Tests.Security;

/// <summary>
/// A seeded fuzz of every route the server has (API, dashboard pages and their form posts): hostile route
/// values, query strings, headers and bodies, as nobody, a service, an admin, a teacher and an admin
/// signed in to the dashboard. No answer may be a 5xx or show a stack trace. The seed is fixed for CI;
/// SKILLSCOPE_FUZZ_SEED=N runs another set of cases.
/// </summary>
public sealed partial class EndpointFuzzTests(DemoDistrict district, ITestOutputHelper output) : IClassFixture<DemoDistrict>
{
    private const int Cases = 3000;

    private static readonly string[] RouteValues =
    [
        "st0000001", "nobody", "lead_conversion", "skill_empathy", "1.0.0", "production", "empathy", "..", "%2e%2e%2f", "%00", "%ff%fe", "a%0d%0ab", "'; DROP TABLE students;--",
        "<script>alert(1)</script>", "%E2%80%AE", "9999999999999999999999", "-1", "0", new string('x', 600), "%C3%28", "\u00e9t\u00e9", "NaN", "true", "null",
    ];

    private static readonly string[] QueryNames = ["page", "page_size", "q", "days", "grade", "class_id", "limit", "version", "alias", "saved", "failed", "ReturnUrl", "action", "done", "error", "kind", "queued", "accuracy", "top_k", "explain"];

    private static readonly string[] QueryValues =
    [
        "1", "-5", "0", "abc", "99999999999", "1e9", "%00", "%ff", "%0d%0aSet-Cookie:%20x=1", "//evil.example", "/\t/evil", "<b>", "'", "\"", "..%2f..%2f", new string('9', 400), "", "%E0%80%AF",
    ];

    private static readonly string[] JsonBodies =
    [
        """{"rows": [{"a": 1}]}""", """{"student_ids": ["st0000001", "st0000002"]}""", """{"kind": "incremental"}""", """{"version": "1.0.0"}""",
        """{"name": "fuzz", "role": "service", "expires_in": "1d"}""", """{"shares": [{"version": "1.0.0", "percent": 100}]}""", """{"weights": {"ml": 1}}""",
        """[{"student_id": "st0000001", "skill": "empathy", "rating": 3}]""", "[]", "{}", "null", "\"text\"", "123", "{\"a\":" + new string('[', 300) + new string(']', 300) + "}",
    ];

    private static readonly string[] ContentTypes = ["application/json", "text/csv", "application/x-ndjson", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "application/json; charset=latin1", "", "*/*"];

    private static readonly string[] Accepts = ["text/html", "application/json", "*/*", "text/html;q=x", "", "image/png"];

    [Fact]
    public async Task Every_route_answers_hostile_requests_without_a_server_error_or_a_stack_trace()
    {
        string data = district.DataDirectory;
        string teacherKey = LastLine(CliRun.Of("keys", "create", "--role", "teacher", "--name", "fuzz teacher", "--teacher-id", TeacherId(), "--data-dir", data));
        await using var served = await ServedHost.StartAsync(data, "--RateLimit:PermitsPerSecond=100000");
        var routes = served.Routes.Select(Route).Where(r => r.Methods.Count > 0).ToList();
        Assert.Contains(routes, r => r.Pattern == "/api/v1/keys");
        Assert.Contains(routes, r => r.Pattern.Equals("/students/{id}", StringComparison.OrdinalIgnoreCase));

        using var admin = new DashboardSession(served.Address);
        Assert.NotNull(await admin.SignInAsync("admin", district.Password("admin")));
        var (_, page, _) = await admin.GetAsync("/admin/models");
        string token = DashboardSession.Token(page);
        string cookies = admin.Cookies.GetCookieHeader(served.Address);

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = served.Address };
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SKILLSCOPE_FUZZ_SEED"), out int chosen) ? chosen : 1;
        var random = new Random(seed);
        var statuses = new SortedDictionary<int, int>();
        for (int i = 0; i < Cases; i++)
        {
            var route = routes[random.Next(routes.Count)];
            string method = route.Methods[random.Next(route.Methods.Count)];
            string path = Fill(route.Pattern, random) + Query(random);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            switch (random.Next(5))
            {
                case 0:
                    break;
                case 1:
                    request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + district.AdminKey);
                    break;
                case 2:
                    request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + teacherKey);
                    break;
                case 3:
                    request.Headers.TryAddWithoutValidation("Authorization", random.Next(2) == 0 ? "Bearer sk_" + new string('A', 43) : "Basic " + new string('=', random.Next(300)));
                    break;
                default:
                    request.Headers.TryAddWithoutValidation("Cookie", cookies);
                    break;
            }

            request.Headers.TryAddWithoutValidation("Accept", Accepts[random.Next(Accepts.Length)]);
            if (random.Next(4) == 0)
            {
                request.Headers.TryAddWithoutValidation(random.Next(2) == 0 ? "X-Request-Id" : "X-Forwarded-For", QueryValues[random.Next(QueryValues.Length)]);
            }

            if (method is "POST" or "PUT" or "PATCH" or "DELETE" && random.Next(6) > 0)
            {
                request.Content = Body(random, token);
                string type = ContentTypes[random.Next(ContentTypes.Length)];
                request.Content.Headers.Remove("Content-Type");
                if (type.Length > 0)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
            }

            using var response = await client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            int status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500 || (status == 503 && body.Contains("database_unavailable", StringComparison.Ordinal)),
                $"{method} {path} ({request.Content?.Headers.ContentType}): {status}\n{Cut(body)}");

            // The API documentation's script bundle is code, where "Exception" is a word like any other.
            bool script = response.Content.Headers.ContentType?.MediaType is "text/javascript" or "application/javascript";
            // A .NET exception's type ("System.InvalidOperationException") or a frame; the word alone is a metric's name.
            Assert.False(!script && (body.Contains("   at ", StringComparison.Ordinal) || ExceptionType().IsMatch(body)), $"{method} {path}: a stack trace\n{Cut(body)}");
        }

        output.WriteLine($"seed {seed}: {Cases} requests over {routes.Count} routes: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(statuses.Keys.Any(s => s is >= 200 and < 300) && statuses.Keys.Count(s => s >= 400) >= 4, "the cases should reach handlers and be refused in several ways");
    }

    private static (string Pattern, IReadOnlyList<string> Methods) Route(RouteEndpoint endpoint) =>
        ("/" + (endpoint.RoutePattern.RawText ?? "").Trim('/'), endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]);

    private static string Fill(string pattern, Random random)
    {
        var text = new StringBuilder();
        int i = 0;
        while (i < pattern.Length)
        {
            int open = pattern.IndexOf('{', i);
            if (open < 0)
            {
                text.Append(pattern, i, pattern.Length - i);
                break;
            }

            text.Append(pattern, i, open - i);
            int close = pattern.IndexOf('}', open);
            string value = RouteValues[random.Next(RouteValues.Length)];
            text.Append(value.Contains('%', StringComparison.Ordinal) ? value : Uri.EscapeDataString(value));
            i = close + 1;
        }

        return text.ToString();
    }

    private static string Query(Random random)
    {
        int count = random.Next(4);
        var query = new StringBuilder();
        for (int q = 0; q < count; q++)
        {
            query.Append(q == 0 ? '?' : '&').Append(QueryNames[random.Next(QueryNames.Length)]).Append('=').Append(QueryValues[random.Next(QueryValues.Length)]);
        }

        return query.ToString();
    }

    private static HttpContent Body(Random random, string token)
    {
        switch (random.Next(6))
        {
            case 0:
                // Invalid UTF-8 inside a JSON string.
                return new ByteArrayContent([.. "{\"name\": \""u8.ToArray(), 0xC3, 0x28, 0xFF, .. "\"}"u8.ToArray()]);
            case 1:
                return new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = random.Next(3) > 0 ? token : "forged",
                    [QueryNames[random.Next(QueryNames.Length)]] = QueryValues[random.Next(QueryValues.Length)],
                    ["version"] = RouteValues[random.Next(RouteValues.Length)],
                    ["percent"] = QueryValues[random.Next(QueryValues.Length)],
                });
            case 2:
                return new StringContent("student_id,skill,rating\nst0000001,empathy,9\n\"unclosed,\n" + new string(',', random.Next(50)), Encoding.UTF8);
            default:
                string json = JsonBodies[random.Next(JsonBodies.Length)];
                var mutated = new StringBuilder(json);
                for (int e = random.Next(3); e > 0 && mutated.Length > 0; e--)
                {
                    mutated.Insert(random.Next(mutated.Length), QueryValues[random.Next(QueryValues.Length)]);
                }

                return new StringContent(mutated.ToString(), Encoding.UTF8);
        }
    }

    private string TeacherId()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(district.DataDirectory, "skillscope.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM teachers ORDER BY id LIMIT 1";
        return (string)command.ExecuteScalar()!;
    }

    private static string LastLine(CliRun run) => run.ExitCode == 0 ? run.Output.TrimEnd().Split('\n')[^1].Trim() : throw new InvalidOperationException(run.Error);

    private static string Cut(string text) => text.Length <= 600 ? text : text[..600];

    [System.Text.RegularExpressions.GeneratedRegex(@"\b[A-Z][A-Za-z]*\.[A-Za-z.]*Exception\b")]
    private static partial System.Text.RegularExpressions.Regex ExceptionType();
}
