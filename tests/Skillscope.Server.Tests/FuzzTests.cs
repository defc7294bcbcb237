using System.Text;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>Thousands of mutated request bodies: every answer is a 2xx or a 4xx problem, never a 5xx.</summary>
public sealed class FuzzTests
{
    private static readonly string[] Seeds =
    [
        """{"rows": [{"age": 30, "visits": 2, "score": 0.5}], "top_k": 2}""",
        """{"rows": [[1, 2, 3], [4, null, 6]], "entity_ids": ["a", "b"], "version": "1.0.0"}""",
        """{"rows": [{"age": 1e308, "visits": -0, "score": true}], "alias": "production"}""",
        """["lead-1", "lead-2"]""",
    ];

    private static readonly string[] Fragments = ["NaN", "\"NaN\"", "null", "[", "]", "{", "}", ",", ":", "1e999", "-", "\"", "\\u0000", "[[[[", "true", "\"rows\"", "{\"a\":{\"b\":[]}}"];

    [Fact]
    public async Task Mutated_bodies_never_produce_a_server_error()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["RateLimit:PermitsPerSecond"] = "100000" });
        using var client = server.Client(server.ServiceKey);
        var random = new Random(20261122);
        var statuses = new Dictionary<int, int>();
        for (int i = 0; i < 2500; i++)
        {
            string body = Mutate(Seeds[random.Next(Seeds.Length)], random);
            using var response = await client.PostAsync("/api/v1/models/lead_conversion/predict", new StringContent(body, Encoding.UTF8, "application/json"));
            int status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"status {status} for body: {body}");
            if (status >= 400)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.True(statuses.Keys.Count(s => s >= 400) >= 2, "the mutations should provoke several kinds of refusal");
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && text.Length > 0; e++)
        {
            int at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0:
                    text.Remove(at, Math.Min(1 + random.Next(4), text.Length - at));
                    break;
                case 1:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    text[at] = (char)random.Next(32, 127);
                    break;
                default:
                    text.Insert(at, text.ToString(at, Math.Min(12, text.Length - at)));
                    break;
            }
        }

        return text.ToString();
    }
}
