using System.Text.Json;

namespace Skillscope.Server.Endpoints;

/// <summary>Body of <c>POST /api/v1/skills/infer</c>: one student's feature set, optionally one skill only.</summary>
internal sealed record SkillInferBody(IReadOnlyDictionary<string, JsonElement> Features, string? StudentId, string? Skill);

/// <summary>Body of <c>POST /api/v1/skills/infer/batch</c>: up to 2,000 such items.</summary>
internal sealed record SkillBatchBody(IReadOnlyList<SkillInferBody> Items);
