using System.Text.Json;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// Body of <c>POST /api/v1/skills/infer</c>: one student's feature set (feature set 1, by name), optionally one
/// skill only, and how many evidence items per skill (0–10, default 5).
/// </summary>
internal sealed record SkillInferBody(IReadOnlyDictionary<string, JsonElement> Features, string? StudentId, string? Skill, int? Evidence);

/// <summary>Body of <c>POST /api/v1/skills/infer/batch</c>: up to 2,000 items, and evidence items per skill for all of them.</summary>
internal sealed record SkillBatchBody(IReadOnlyList<SkillBatchItemBody> Items, int? Evidence);

/// <summary>One student of a batch: their feature set, and optionally one skill only.</summary>
internal sealed record SkillBatchItemBody(IReadOnlyDictionary<string, JsonElement> Features, string? StudentId, string? Skill);
