using System.Text.Json;
using System.Text.Json.Serialization;
using Skillscope.Assessment.Inference;
using Skillscope.Server.Http;

namespace Skillscope.Server.Endpoints;

/// <summary>The answer of <c>POST /api/v1/skills/infer</c>.</summary>
internal sealed record SkillInferResponse(string RequestId, string? StudentId, string FeatureSetVersion, IReadOnlyList<SkillResult> Skills, IReadOnlyList<SkillError>? Errors);

/// <summary>The answer of <c>POST /api/v1/skills/infer/batch</c>: one item per request item, in request order.</summary>
internal sealed record SkillBatchResponse(string RequestId, string FeatureSetVersion, IReadOnlyList<SkillBatchItem> Items);

internal sealed record SkillBatchItem(int Index, string? StudentId, IReadOnlyList<SkillResult> Skills, IReadOnlyList<SkillError>? Errors);

/// <summary>
/// Serialisation code generated at build time for the skill answers — the API's hottest responses (a
/// 100-student batch holds 700 skill results) — with the API's usual names, nulls and escaping.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SkillInferResponse))]
[JsonSerializable(typeof(SkillBatchResponse))]
internal sealed partial class SkillJson : JsonSerializerContext
{
    /// <summary>Bound to a copy of the API's options, so that the escaping matches every other response.</summary>
    public static SkillJson Api { get; } = new(new JsonSerializerOptions(JsonDefaults.Options) { TypeInfoResolver = null });
}
