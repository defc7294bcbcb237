using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Skillscope.Server.Security;
using Xunit;

namespace Skillscope.Server.Tests.Security;

/// <summary>API keys through <c>/api/v1/keys</c>: created with a lifetime, listed with their use, revoked, rotated, expired.</summary>
public sealed class KeyLifecycleTests
{
    // A key's lookup is cached for a second; the rest is slack for a loaded machine.
    private static readonly TimeSpan Refused = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_key_made_through_the_api_works_until_it_is_revoked_and_a_rotated_key_replaces_it()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(server.AdminKey);
        using var created = await admin.PostAsync("/api/v1/keys", RunningServer.Json("""{"name": "reports", "role": "service", "expires_in": "90d"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        string key = body.RootElement.GetProperty("key").GetString()!, id = body.RootElement.GetProperty("record").GetProperty("id").GetString()!;
        var expires = body.RootElement.GetProperty("record").GetProperty("expires_at").GetDateTime();
        Assert.InRange(expires, DateTime.UtcNow.AddDays(89.9), DateTime.UtcNow.AddDays(90.1));

        using var service = server.Client(key);
        int stillServed;
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await service.GetAsync("/api/v1/assessments/jobs")).StatusCode);
        }

        using (var rotated = await admin.PostAsync($"/api/v1/keys/{id}/rotate", null))
        {
            Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
            using var replacement = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync());
            using var next = server.Client(replacement.RootElement.GetProperty("key").GetString()!);
            Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/api/v1/assessments/jobs")).StatusCode);
            var record = replacement.RootElement.GetProperty("record");
            Assert.Equal(("reports", "service", "active"), (record.GetProperty("name").GetString(), record.GetProperty("role").GetString(), record.GetProperty("state").GetString()));
            Assert.InRange(record.GetProperty("expires_at").GetDateTime(), DateTime.UtcNow.AddDays(89.9), DateTime.UtcNow.AddDays(90.1));

            stillServed = await UntilRefusedAsync(service, "invalid_api_key");
            string newId = record.GetProperty("id").GetString()!;
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/keys/{newId}")).StatusCode);
            await UntilRefusedAsync(next, "invalid_api_key");
            await ProblemAssert.AssertProblem(await admin.DeleteAsync($"/api/v1/keys/{newId}"), 404, "key_not_found");
        }

        await ProblemAssert.AssertProblem(await admin.PostAsync($"/api/v1/keys/{id}/rotate", null), 404, "key_not_found");
        using var listed = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/keys"));
        var states = listed.RootElement.GetProperty("keys").EnumerateArray().Where(k => k.GetProperty("name").GetString() == "reports")
            .Select(k => k.GetProperty("state").GetString()).ToList();
        Assert.Equal(["revoked", "revoked"], states);
        Assert.DoesNotContain("hash", listed.RootElement.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // Requests are counted per key and written every few seconds (and when the server stops).
        await server.StopAsync();
        var counted = (await server.Store.ListApiKeysAsync()).Single(k => k.Id == id);
        Assert.Equal(3 + stillServed, counted.Requests);
        Assert.NotNull(counted.LastUsedAt);
    }

    [Fact]
    public async Task An_expired_key_is_refused_with_its_own_code()
    {
        var clock = new SettableTime(DateTimeOffset.UtcNow);
        await using var server = await RunningServer.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var (_, key) = await ApiKeys.CreateAsync(server.Store, Roles.Service, "short", "test", lifetime: TimeSpan.FromMinutes(10));
        using var client = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/assessments/jobs")).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(11));
        await ProblemAssert.AssertProblem(await client.GetAsync("/api/v1/assessments/jobs"), 401, "expired_api_key");
    }

    [Theory]
    [InlineData("""{"name": "x", "role": "service", "expires_in": "soon"}""", 400, "invalid_expiry")]
    [InlineData("""{"name": "x", "role": "service", "expires_in": "0d"}""", 400, "invalid_expiry")]
    [InlineData("""{"name": "x", "role": "service", "expires_in": "99999d"}""", 400, "invalid_expiry")]
    [InlineData("""{"name": "x", "role": "root"}""", 400, "invalid_role")]
    [InlineData("""{"name": "", "role": "service"}""", 400, "invalid_name")]
    [InlineData("""{"name": "x", "role": "teacher"}""", 400, "invalid_binding")]
    [InlineData("""{"name": "x", "role": "teacher", "teacher_id": "nobody"}""", 422, "unknown_binding")]
    [InlineData("""{"name": "x", "role": "service", "scope": "all"}""", 400, "unknown_field")]
    [InlineData("""{"name": 5, "role": "service"}""", 400, "invalid_field")]
    public async Task A_key_that_cannot_be_made_is_refused_with_a_reason(string body, int status, string code)
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(server.AdminKey);
        await ProblemAssert.AssertProblem(await admin.PostAsync("/api/v1/keys", RunningServer.Json(body)), status, code);
    }

    [Fact]
    public async Task Only_an_admin_of_everything_manages_keys()
    {
        await using var server = await RunningServer.StartAsync();
        using var service = server.Client(server.ServiceKey);
        await ProblemAssert.AssertProblem(await service.GetAsync("/api/v1/keys"), 403, "forbidden");
        await ProblemAssert.AssertProblem(await service.DeleteAsync("/api/v1/keys/whatever"), 403, "forbidden");
        var (_, districtAdmin) = await ApiKeys.CreateAsync(server.Store, Roles.Admin, "district admin", "test", districtId: "d1");
        using var bound = server.Client(districtAdmin);
        await ProblemAssert.AssertProblem(await bound.PostAsync("/api/v1/keys", RunningServer.Json("""{"name": "x", "role": "admin"}""")), 403, "forbidden");
    }

    /// <summary>Asks with the key until it is refused; returns how many requests it still served meanwhile.</summary>
    private static async Task<int> UntilRefusedAsync(HttpClient client, string code)
    {
        var until = DateTime.UtcNow + Refused;
        HttpResponseMessage response;
        int served = 0;
        while ((response = await client.GetAsync("/api/v1/assessments/jobs")).StatusCode == HttpStatusCode.OK)
        {
            served++;
            response.Dispose();
            Assert.True(DateTime.UtcNow < until, $"the key still worked {Refused.TotalSeconds} s after it was revoked");
            await Task.Delay(100);
        }

        await ProblemAssert.AssertProblem(response, 401, code);
        return served;
    }

    private sealed class SettableTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
