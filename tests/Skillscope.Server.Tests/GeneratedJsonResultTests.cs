using System.IO.Pipelines;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Skillscope.Assessment.Inference;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Endpoints;
using Skillscope.Server.Http;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>
/// The skill and scoring answers are written by the serialiser's generated code: byte for byte what the API's usual
/// options write (names, nulls left out, escaping of quotes, accents, markup and control characters), and
/// really by the generated code — a context whose options it cannot honour silently falls back to the
/// general converters, which is what made a 100-student answer cost a quarter of the server's time.
/// </summary>
public sealed class GeneratedJsonResultTests
{
    [Fact]
    public async Task A_skill_answer_is_written_byte_for_byte_as_the_api_options_write_it()
    {
        var evidence = new EvidenceFeature("empathy_marker_rate", "Empathy \"markers\" <per> 100 words", 0.8f, 0.125f, "raises");
        var result = new SkillResult("empathy", 0.61921352f, 0.5683, 1, "skill_empathy@1.0.0", "1.0.0", new string('a', 64), [evidence, evidence with { Value = null }], ["Zoë's coverage\nis low \u0001"]);
        var response = new SkillBatchResponse("r-1", "1", [
            new SkillBatchItem(0, "élève-ü 'quoted' & <b>", [result], null),
            new SkillBatchItem(1, null, [], [new SkillError("self_regulation", "no_model", "no model serves \"self_regulation\"")]),
        ]);

        await AssertWrittenAsApiOptionsWrite(response, SkillJson.Api.SkillBatchResponse);
    }

    [Fact]
    public async Task A_scoring_answer_is_written_byte_for_byte_as_the_api_options_write_it()
    {
        var response = new PredictResponse("r-2", "crm_lead", "1", "crm_lead@2.0.0", "2.0.0", new string('b', 64), new string('c', 64), new CalibrationInfo("isotonic"), [
            new PredictionResult(0, "lead «17»", "2.0.0", 0.8312f, null, 0.67, [new FeatureContribution("visits", 14, -0.41f), new FeatureContribution("plan", null, 1e-7f)], ["unknown feature \"x\" ignored"], null),
            new PredictionResult(1, null, null, null, [0.1f, 0.2f, 0.7f], 1, null, null, null),
            PredictionResult.Failed(2, "lead-3", null, "insufficient_coverage", "coverage 0.2 is below the minimum 0.5; missing: a, b"),
        ]);
        await AssertWrittenAsApiOptionsWrite(response, PredictJson.Api.PredictResponse);
    }

    [Fact]
    public async Task An_answer_the_writer_refuses_half_way_sends_nothing()
    {
        // Large enough to have passed the serialiser's usual flush threshold before the NaN at its end.
        var good = new SkillResult("empathy", 0.5f, 0.5, 1, "skill_empathy@1.0.0", "1.0.0", new string('a', 64), [], null);
        var items = Enumerable.Range(0, 500).Select(i => new SkillBatchItem(i, $"s{i}", [good], null))
            .Append(new SkillBatchItem(500, "s500", [good with { Score = float.NaN }], null)).ToArray();
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));

        await Assert.ThrowsAsync<ArgumentException>(() => new GeneratedJsonResult<SkillBatchResponse>(new SkillBatchResponse("r-3", "1", items), SkillJson.Api.SkillBatchResponse).ExecuteAsync(context));

        // The error handler's answer flushes the pipe: nothing of the refused answer may be waiting in it.
        await context.Response.BodyWriter.FlushAsync();
        Assert.Equal(0, body.Length);
    }

    [Fact]
    public void The_skill_and_scoring_answers_use_the_generated_serialisers()
    {
        // Internal to the serialiser, read by reflection: no public member tells whether the generated code runs.
        var canUse = typeof(JsonTypeInfo).GetProperty("CanUseSerializeHandler", BindingFlags.Instance | BindingFlags.NonPublic);
        Assert.NotNull(canUse);
        Assert.True((bool)canUse.GetValue(SkillJson.Api.SkillBatchResponse)!);
        Assert.True((bool)canUse.GetValue(SkillJson.Api.SkillInferResponse)!);
        Assert.True((bool)canUse.GetValue(PredictJson.Api.PredictResponse)!);
    }

    private static async Task AssertWrittenAsApiOptionsWrite<T>(T response, JsonTypeInfo<T> typeInfo)
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        await new GeneratedJsonResult<T>(response, typeInfo).ExecuteAsync(context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal(JsonSerializer.Serialize(response, JsonDefaults.Options), Encoding.UTF8.GetString(body.ToArray()));
    }
}
