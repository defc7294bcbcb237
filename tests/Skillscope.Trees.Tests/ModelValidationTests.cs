using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>
/// A model that cannot be scored correctly is refused with <see cref="TreeModelException"/>, naming the
/// problem and (where it applies) its JSON path. Nothing half-loaded ever comes back.
/// </summary>
public sealed class ModelValidationTests
{
    [Fact]
    public void The_unmodified_fixture_loads()
    {
        Assert.Equal(12, ModelDocument.Reload(ModelDocument.Load("binary_logistic")).FeatureCount);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(5000)]
    public void A_truncated_json_file_is_refused(int keep)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(ParityCase.Root, "binary_logistic", "model.json"))[..keep];
        var error = Assert.Throws<TreeModelException>(() => XgboostModel.Load(bytes));
        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(5000)]
    public void A_truncated_ubjson_file_is_refused(int keep)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(ParityCase.Root, "binary_logistic", "model.ubj"))[..keep];
        var error = Assert.Throws<TreeModelException>(() => XgboostModel.Load(bytes));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a model")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"learner\": ")]
    [InlineData("{\"version\": [1,7,4]}")]
    public void Garbage_is_refused(string content)
    {
        Assert.Throws<TreeModelException>(() => XgboostModel.Load(Encoding.UTF8.GetBytes(content)));
    }

    [Fact]
    public void An_unknown_objective_is_refused_with_its_path()
    {
        var model = ModelDocument.Load("binary_logistic");
        ModelDocument.Learner(model)["objective"]!["name"] = "survival:aft";

        var error = Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));

        Assert.Equal("$.learner.objective.name", error.Path);
        Assert.Contains("survival:aft", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_booster_is_refused_with_its_path()
    {
        var model = ModelDocument.Load("binary_logistic");
        ModelDocument.Learner(model)["gradient_booster"]!["name"] = "gbforest";

        var error = Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));

        Assert.Equal("$.learner.gradient_booster.name", error.Path);
    }

    [Fact]
    public void A_wrong_json_type_names_what_was_expected_and_where()
    {
        var model = ModelDocument.Load("binary_logistic");
        ModelDocument.FirstTree(model)["split_conditions"] = "0.5";

        var error = Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));

        Assert.Equal("$.learner.gradient_booster.model.trees[0].split_conditions", error.Path);
        Assert.Contains("expected an array of numbers, found the string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_child_index_out_of_range_is_refused()
    {
        var model = ModelDocument.Load("binary_logistic");
        var tree = ModelDocument.FirstTree(model);
        tree["left_children"]![0] = 100_000;

        var error = Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));

        Assert.StartsWith("$.learner.gradient_booster.model.trees[0].left_children", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_in_a_tree_is_refused()
    {
        var model = ModelDocument.Load("binary_logistic");
        var tree = ModelDocument.FirstTree(model);
        // Node 1 points back at node 0's other child: node 2 is then reached twice.
        int right = (int)tree["right_children"]![0]!;
        int nodeOne = (int)tree["left_children"]![0]!;
        tree["left_children"]![nodeOne] = right;
        tree["right_children"]![nodeOne] = right + 1 < tree["left_children"]!.AsArray().Count ? right + 1 : right;

        var error = Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));

        Assert.Contains("reached twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_child_pointing_at_the_root_is_refused()
    {
        var model = ModelDocument.Load("binary_logistic");
        ModelDocument.FirstTree(model)["right_children"]![0] = 0;

        var error = Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));

        Assert.Contains("root", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void A_leaf_value_that_is_not_a_number_is_refused(string token)
    {
        var model = ModelDocument.Load("binary_logistic");
        var tree = ModelDocument.FirstTree(model);
        int leaf = tree["left_children"]!.AsArray().Select((v, i) => ((int)v!, i)).First(p => p.Item1 == -1).i;
        // XGBoost writes bare NaN tokens, so this is how a damaged value really looks.
        string text = model.ToJsonString();
        var conditions = tree["split_conditions"]!.AsArray();
        conditions[leaf] = 12345.678;
        text = model.ToJsonString().Replace("12345.678", token, StringComparison.Ordinal);

        var error = Assert.Throws<TreeModelException>(() => XgboostModel.Load(Encoding.UTF8.GetBytes(text)));

        Assert.Equal($"$.learner.gradient_booster.model.trees[0].split_conditions[{leaf}]", error.Path);
    }

    [Fact]
    public void A_nan_threshold_is_refused()
    {
        var model = ModelDocument.Load("binary_logistic");
        ModelDocument.FirstTree(model)["split_conditions"]![0] = 12345.678;
        string text = model.ToJsonString().Replace("12345.678", "NaN", StringComparison.Ordinal);

        var error = Assert.Throws<TreeModelException>(() => XgboostModel.Load(Encoding.UTF8.GetBytes(text)));

        Assert.Contains("threshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_split_on_a_feature_the_model_does_not_have_is_refused()
    {
        var model = ModelDocument.Load("binary_logistic");
        ModelDocument.FirstTree(model)["split_indices"]![0] = 12;

        var error = Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));

        Assert.Equal("$.learner.gradient_booster.model.trees[0].split_indices[0]", error.Path);
    }

    [Fact]
    public void Vector_leaf_trees_are_refused_rather_than_scored_wrongly()
    {
        var model = ModelDocument.Load("binary_logistic");
        ModelDocument.FirstTree(model)["tree_param"]!["size_leaf_vector"] = "3";

        var error = Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));

        Assert.Contains("vector-leaf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Array_lengths_that_disagree_with_num_nodes_are_refused()
    {
        var model = ModelDocument.Load("binary_logistic");
        ModelDocument.FirstTree(model)["sum_hessian"]!.AsArray().RemoveAt(0);

        var error = Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));

        Assert.Equal("$.learner.gradient_booster.model.trees[0].sum_hessian", error.Path);
    }

    [Fact]
    public void A_tree_count_that_disagrees_with_the_trees_is_refused()
    {
        var model = ModelDocument.Load("binary_logistic");
        ModelDocument.Learner(model)["gradient_booster"]!["model"]!["gbtree_model_param"]!["num_trees"] = "21";

        Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));
    }

    [Fact]
    public void A_log_link_model_with_a_non_positive_base_score_is_refused()
    {
        var model = ModelDocument.Load("count_poisson");
        ModelDocument.Learner(model)["learner_model_param"]!["base_score"] = "-1E0";

        var error = Assert.Throws<TreeModelException>(() => ModelDocument.Reload(model));

        Assert.Equal("$.learner.learner_model_param.base_score", error.Path);
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_refused_at_predict_time()
    {
        var predictor = ModelDocument.Reload(ModelDocument.Load("binary_logistic")).Predictor;

        var single = Assert.Throws<TreeModelException>(() => predictor.Predict(new float[11], new float[1]));
        var batch = Assert.Throws<TreeModelException>(() => predictor.PredictBatch(new float[25], new float[3]));

        Assert.Contains("feature-count mismatch", single.Message, StringComparison.Ordinal);
        Assert.Contains("feature-count mismatch", batch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_with_no_trees_predicts_its_base_score()
    {
        var model = ModelDocument.Load("binary_logistic_base_score");
        var gbtree = ModelDocument.Learner(model)["gradient_booster"]!["model"]!.AsObject();
        gbtree["trees"] = new JsonArray();
        gbtree["tree_info"] = new JsonArray();
        gbtree["gbtree_model_param"]!["num_trees"] = "0";
        ModelDocument.Learner(model)["attributes"] = new JsonObject();

        var loaded = ModelDocument.Reload(model);
        var output = new float[1];
        loaded.Predictor.Predict(new float[12], output);

        Assert.Equal(0.3f, output[0], 6);
    }
}
