using System.Text.Json;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>Checks an error answer: its status, problem-details media type, stable code and request id.</summary>
internal static class ProblemAssert
{
    public static async Task AssertProblem(HttpResponseMessage response, int status, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("request_id").GetString()));
        response.Dispose();
    }
}
