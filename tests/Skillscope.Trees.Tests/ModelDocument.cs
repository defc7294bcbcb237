using System.Text.Json.Nodes;

namespace Skillscope.Trees.Tests;

/// <summary>A fixture model as an editable JSON tree, for tests that damage one thing at a time.</summary>
internal static class ModelDocument
{
    public static JsonObject Load(string fixture) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(ParityCase.Root, fixture, "model.json")))!;

    public static JsonObject Learner(JsonObject model) => model["learner"]!.AsObject();

    public static JsonObject FirstTree(JsonObject model) =>
        Learner(model)["gradient_booster"]!["model"]!["trees"]![0]!.AsObject();

    public static XgboostModel Reload(JsonObject model) =>
        XgboostModel.Load(System.Text.Encoding.UTF8.GetBytes(model.ToJsonString()));
}
