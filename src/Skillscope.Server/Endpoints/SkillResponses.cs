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
    /// <summary>Bound to the API's options for generated code (<see cref="JsonDefaults.ForGeneratedCode"/>).</summary>
    public static SkillJson Api => ApiContext.Instance;

    // A class of its own, so that the context is made on first use: SkillJson's static fields are set in
    // the order of its partial files, and a context made before the generated options field is set
    // compares its options with none, and never runs the generated code.
    private static class ApiContext
    {
        public static readonly SkillJson Instance = new(JsonDefaults.ForGeneratedCode());
    }
}
