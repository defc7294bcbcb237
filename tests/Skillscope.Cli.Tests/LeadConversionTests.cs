using System.Net;
using System.Text;
using System.Text.Json;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// The lead-conversion case as a user runs it: the demo trains and registers the model and stores test
/// leads; a key comes from the CLI; the API scores leads by id and by features, honouring the contract.
/// </summary>
public sealed class LeadConversionTests
{
    [Fact]
    public async Task The_demo_model_scores_lead_ids_through_the_api()
    {
        using var folder = new TempFolder();
        string data = folder.File("data");
        var demo = CliRun.Of("demo", "leads", "--leads", "6000", "--seed", "11", "--data-dir", data);
        Assert.True(demo.ExitCode == 0, demo.Error);
        Assert.Contains("lead_conversion:production → 1.0.0", demo.Output, StringComparison.Ordinal);
        var again = CliRun.Of("demo", "leads", "--leads", "6000", "--seed", "11", "--data-dir", data);
        Assert.Contains("holds this model already", again.Output, StringComparison.Ordinal);

        var keys = CliRun.Of("keys", "create", "--role", "service", "--name", "crm", "--data-dir", data);
        Assert.Equal(0, keys.ExitCode);
        string key = keys.Output.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("sk_", key, StringComparison.Ordinal);
        Assert.Equal(1, CliRun.Of("keys", "create", "--role", "root", "--name", "x", "--data-dir", data).ExitCode);

        await using var served = await ServedHost.StartAsync(data);
        using var client = served.Client(key);
        using var response = await client.PostAsync("/api/v1/models/lead_conversion/predict",
            new StringContent("""{"ids": ["lead-005101", "lead-005102", "lead-000001"], "top_k": 3}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal("lead_conversion@1.0.0", root.GetProperty("model_id").GetString());
        Assert.Equal("1", root.GetProperty("schema_version").GetString());
        var predictions = root.GetProperty("predictions").EnumerateArray().ToList();
        foreach (var scored in predictions.Take(2))
        {
            Assert.InRange(scored.GetProperty("score").GetSingle(), 0f, 1f);
            Assert.InRange(scored.GetProperty("coverage").GetDouble(), 0.5, 1.0);
            Assert.Equal(3, scored.GetProperty("contributions").GetArrayLength());
        }

        // Training leads were not stored: only the held-out test leads are in the feature store.
        Assert.Equal("entity_not_found", predictions[2].GetProperty("error").GetProperty("code").GetString());

        using var outOfRange = await client.PostAsync("/api/v1/models/lead_conversion/predict",
            new StringContent("""{"rows": [{"source": 9, "demo_requested": 1, "trial_active": 1, "pages_viewed": 12, "pricing_page_visits": 3, "region_tier": 1, "industry_fit": 0.9, "sales_touches": 4, "email_opens": 5, "days_since_first_touch": 20, "days_since_last_activity": 2}]}""", Encoding.UTF8, "application/json"));
        using var outJson = JsonDocument.Parse(await outOfRange.Content.ReadAsStringAsync());
        var warned = outJson.RootElement.GetProperty("predictions")[0];
        Assert.Contains(warned.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("source", StringComparison.Ordinal));
    }
}
