using System.Net;
using System.Net.Http.Headers;
using Xunit;

namespace Skillscope.Server.Tests.Security;

/// <summary>Bytes that are not UTF-8 inside a body are refused with a code, never a 500.</summary>
public sealed class HostileBodyTests
{
    public static TheoryData<string, string, string> Bodies => new()
    {
        { "/api/v1/models/lead_conversion/predict", "application/json", "{\"rows\": [{\"age\": \"\xFF\"}]}" },
        { "/api/v1/models/lead_conversion/predict", "application/json", "{\"rows\": [[1, 2, 3]], \"entity_ids\": [\"\xC3\x28\"]}" },
        { "/api/v1/models/lead_conversion/promote", "application/json", "{\"version\": \"\xFF\"}" },
        { "/api/v1/models/lead_conversion/promote", "application/json", "{\"version\": \"\\ud800\"}" },
        { "/api/v1/models/lead_conversion/predict", "application/json", "{\"rows\": [{\"age\": 1}], \"entity_ids\": [\"\\uDFFF\"]}" },
        { "/api/v1/import/students", "application/json", "[{\"id\": \"\xFF\"}]" },
        { "/api/v1/import/students", "text/csv", "id,class_id,first_name,last_name,grade\n\xFF,c1,A,B,5\n" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Invalid_utf8_is_a_400_with_its_code(string path, string mediaType, string latin1Body)
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(server.AdminKey);

        // The test text holds one byte per character: sent as those bytes, not encoded again.
        var content = new ByteArrayContent(System.Text.Encoding.Latin1.GetBytes(latin1Body));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var response = await admin.PostAsync(path, content);
        await ProblemAssert.AssertProblem(response, 400, "invalid_utf8");
    }
}
