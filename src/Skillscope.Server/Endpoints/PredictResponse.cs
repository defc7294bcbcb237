using System.Text.Json;
using System.Text.Json.Serialization;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Http;

namespace Skillscope.Server.Endpoints;

/// <summary>The scoring response: which model answered, and one result per item in request order.</summary>
internal sealed record PredictResponse(
    string RequestId, string Model, string SchemaVersion, string ModelId, string ModelVersion, string ModelSha256, string PackageSha256,
    CalibrationInfo? Calibration, IReadOnlyList<PredictionResult> Predictions);

/// <summary>How scores were calibrated (<c>sigmoid</c> or <c>isotonic</c>).</summary>
internal sealed record CalibrationInfo(string Method);

/// <summary>One item's result: its score(s) or its error, never both.</summary>
internal sealed record PredictionResult(
    int Index, string? EntityId, string? ModelVersion, float? Score, float[]? Scores, double? Coverage,
    IReadOnlyList<FeatureContribution>? Contributions, IReadOnlyList<string>? Warnings, ItemError? Error)
{
    public static PredictionResult Failed(int index, string? entityId, string? version, string code, string message) =>
        new(index, entityId, version, null, null, null, null, null, new ItemError(code, message));
}

/// <summary>Why an item was not scored.</summary>
internal sealed record ItemError(string Code, string Message);

/// <summary>
/// Serialisation code generated at build time for the scoring answer, the generic API's hottest response,
/// with the API's usual names, nulls and escaping (written by <see cref="GeneratedJsonResult{T}"/>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PredictResponse))]
internal sealed partial class PredictJson : JsonSerializerContext
{
    /// <summary>Bound to the API's options for generated code (<see cref="JsonDefaults.ForGeneratedCode"/>).</summary>
    public static PredictJson Api => ApiContext.Instance;

    // Made on first use, after the generated options field is set (see SkillJson).
    private static class ApiContext
    {
        public static readonly PredictJson Instance = new(JsonDefaults.ForGeneratedCode());
    }
}
