using System.Text.Json;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Inference;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>POST /api/v1/skills/infer</c> (one student's features → every skill, or one) and
/// <c>POST /api/v1/skills/infer/batch</c> (many students, each skill's rows scored as one batch).
/// </summary>
internal static class SkillEndpoints
{
    private const int MaxEvidence = 10;

    public static void Map(IEndpointRouteBuilder app)
    {
        var skills = app.MapGroup("/api/v1/skills/infer").RequireAuthorization(Roles.ScoringPolicy).WithTags("Skills");
        skills.MapPost("", Infer)
            .Takes<SkillInferBody>("""{"student_id": "s-0001", "features": {"utterance_count": 42, "words_per_utterance": 11.5, "empathy_marker_rate": 0.8, "perspective_taking_rate": 0.4}, "evidence": 3}""")
            .Answers<SkillInferResponse>("One student's feature set → a calibrated score, band and evidence per skill (or for one skill)")
            .Refuses(400, "invalid_request", "invalid_item").Refuses(404, "skill_not_found").Refuses(422, "no_skill_scored");
        skills.MapPost("/batch", InferBatch)
            .Takes<SkillBatchBody>("""{"items": [{"student_id": "s-0001", "features": {"utterance_count": 42, "empathy_marker_rate": 0.8}}, {"student_id": "s-0002", "features": {"utterance_count": 7, "help_seeking_rate": 0.3}, "skill": "empathy"}], "evidence": 2}""")
            .Answers<SkillBatchResponse>("Up to 2,000 students' feature sets; each skill's rows scored as one batch, answers in request order")
            .Refuses(400, "invalid_request", "empty_request", "invalid_item").Refuses(413, "too_many_items");
    }

    private static async Task<IResult> Infer(HttpContext context, ModelHost host, SkillInference inference)
    {
        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 16, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var root = document.RootElement;
            var item = ReadItem(context, root, inference, out var itemProblem);
            if (itemProblem is not null)
            {
                return itemProblem;
            }

            int evidence = Evidence(root);
            var (results, errors) = inference.Infer(host.Catalog, [item!.Value.Features], [item.Value.StudentId], item.Value.Skills, evidence);
            if (results[0].Count == 0)
            {
                return Problems.Of(context, 422, "no_skill_scored", "no skill could be assessed from these features; see \"errors\"",
                    new Dictionary<string, object?> { ["errors"] = errors[0] });
            }

            return new GeneratedJsonResult<SkillInferResponse>(
                new SkillInferResponse(RequestIds.Of(context), item.Value.StudentId, FeatureSet.Version, results[0], errors[0].Count > 0 ? errors[0] : null),
                SkillJson.Api.SkillInferResponse);
        }
    }

    private static async Task<IResult> InferBatch(HttpContext context, ModelHost host, SkillInference inference)
    {
        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 16, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return Problems.Of(context, 400, "invalid_request", "send {\"items\": [{\"student_id\": \"…\", \"features\": {…}, \"skill\": \"empathy\"?}]}");
            }

            int count = items.GetArrayLength();
            if (count == 0)
            {
                return Problems.Of(context, 400, "empty_request", "\"items\" is empty");
            }

            if (count > PredictRequest.MaxItems)
            {
                return Problems.Of(context, 413, "too_many_items", $"{count} items; at most {PredictRequest.MaxItems} per request");
            }

            var features = new List<JsonElement>(count);
            var ids = new List<string?>(count);
            var itemSkills = new List<IReadOnlyList<string>?>(count);
            int index = 0;
            foreach (var element in items.EnumerateArray())
            {
                var item = ReadItem(context, element, inference, out var itemProblem);
                if (itemProblem is not null)
                {
                    return Problems.Of(context, 400, "invalid_item", $"items[{index}] is not valid; each item needs \"features\" (an object) and may name \"student_id\" and one known \"skill\"");
                }

                features.Add(item!.Value.Features);
                ids.Add(item.Value.StudentId);
                itemSkills.Add(item.Value.Skills);
                index++;
            }

            // Items naming one skill and items wanting all are inferred separately, each as one batch per skill.
            var answers = new SkillBatchItem[count];
            int evidence = Evidence(root);
            foreach (var group in Enumerable.Range(0, count).GroupBy(i => itemSkills[i] is { } s ? s[0] : ""))
            {
                var members = group.ToList();
                var (results, errors) = inference.Infer(host.Catalog, [.. members.Select(i => features[i])], [.. members.Select(i => ids[i])],
                    group.Key.Length > 0 ? [group.Key] : null, evidence);
                for (int m = 0; m < members.Count; m++)
                {
                    answers[members[m]] = new SkillBatchItem(members[m], ids[members[m]], results[m], errors[m].Count > 0 ? errors[m] : null);
                }
            }

            return new GeneratedJsonResult<SkillBatchResponse>(new SkillBatchResponse(RequestIds.Of(context), FeatureSet.Version, answers), SkillJson.Api.SkillBatchResponse);
        }
    }

    private static (JsonElement Features, string? StudentId, IReadOnlyList<string>? Skills)? ReadItem(
        HttpContext context, JsonElement element, SkillInference inference, out IResult? problem)
    {
        problem = null;
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Object)
        {
            problem = Problems.Of(context, 400, "invalid_request", "send {\"features\": {\"utterance_count\": 12, …}, \"student_id\": \"…\"?, \"skill\": \"empathy\"?}");
            return null;
        }

        string? studentId = element.TryGetProperty("student_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        IReadOnlyList<string>? skills = null;
        if (element.TryGetProperty("skill", out var skill))
        {
            string? name = skill.ValueKind == JsonValueKind.String ? skill.GetString() : null;
            if (name is null || inference.Catalog.IndexOf(name) < 0)
            {
                problem = SkillNotFound.Problem(context, name, inference.Catalog);
                return null;
            }

            skills = [name];
        }

        return (features, studentId, skills);
    }

    private static int Evidence(JsonElement root) =>
        root.TryGetProperty("evidence", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int k) ? Math.Clamp(k, 0, MaxEvidence) : 5;
}
