using System.Text.Json;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Serving;
using Xunit;

namespace Skillscope.Scoring.Tests;

/// <summary>Feature safety: no input, however odd, becomes a silent wrong score.</summary>
public sealed class RowPreparerTests
{
    private static readonly FeatureSpec[] Features = [new("age", "int", 0, 120), new("visits", "float", 0), new("score")];

    [Fact]
    public void Objects_and_arrays_give_the_same_row_and_absent_or_null_features_are_missing()
    {
        var preparer = new RowPreparer(new FeatureSchema { Features = Features });
        var fromObject = preparer.Prepare(Json("""{"score": 0.5, "age": 30, "visits": null}"""));
        var fromArray = preparer.Prepare(Json("[30, null, 0.5]"));

        Assert.Null(fromObject.Error);
        Assert.Equal(fromObject.Values, fromArray.Values);
        Assert.True(float.IsNaN(fromObject.Values[1]));
        Assert.Equal(2.0 / 3, fromObject.Coverage, 12);
    }

    [Fact]
    public void Feature_names_match_in_any_order_escaped_or_not_and_only_as_the_names_they_decode_to()
    {
        // Two features literally named with backslashes: the raw bytes of the escaped "a\u0042" (aB) spell one of them.
        FeatureSpec[] features = [new("age"), new("visits"), new(@"\u00e9t\u00e9"), new(@"a\u0042"), new("ré"), new("aB")];
        var preparer = new RowPreparer(new FeatureSchema { Features = features });

        var inOrder = preparer.Prepare(Json("""{"age": 1, "visits": 2, "\\u00e9t\\u00e9": 3, "a\\u0042": 4, "ré": 5, "aB": 6}"""));
        var reordered = preparer.Prepare(Json("""{"aB": 6, "ré": 5, "a\\u0042": 4, "\\u00e9t\\u00e9": 3, "visits": 2, "age": 1}"""));
        var escaped = preparer.Prepare(Json("""{"\u0061ge": 1, "visits": 2, "\\u00e9t\\u00e9": 3, "a\\u0042": 4, "r\u00e9": 5, "a\u0042": 6}"""));
        var trap = preparer.Prepare(Json("""{"age": 1, "visits": 2, "\\u00e9t\\u00e9": 3, "a\u0042": 6, "a\\u0042": 4, "ré": 5}"""));
        foreach (var row in new[] { inOrder, reordered, escaped, trap })
        {
            Assert.Null(row.Error);
            Assert.Empty(row.Warnings);
            Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], row.Values);
        }

        // The same feature twice, once escaped, is a duplicate; an escape that decodes to no feature is unknown.
        Assert.Equal("duplicate_feature", preparer.Prepare(Json("""{"age": 1, "\u0061ge": 2}""")).Error?.Code);
        var unknown = preparer.Prepare(Json("""{"age": 1, "visits": 2, "\u00e9t\u00e9": 3}"""));
        Assert.Contains(unknown.Warnings, w => w.Contains("été", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_features_are_ignored_with_a_warning()
    {
        var row = new RowPreparer(new FeatureSchema { Features = Features }).Prepare(Json("""{"age": 30, "colour": "red"}"""));

        Assert.Null(row.Error);
        Assert.Contains(row.Warnings, w => w.Contains("colour", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(InvalidValuePolicy.Missing, float.NaN, null)]
    [InlineData(InvalidValuePolicy.Clip, 120f, null)]
    [InlineData(InvalidValuePolicy.Reject, float.NaN, "invalid_value")]
    public void Out_of_range_and_infinite_values_follow_the_schema_policy(InvalidValuePolicy policy, float expected, string? error)
    {
        var preparer = new RowPreparer(new FeatureSchema { Features = Features, InvalidValues = policy });
        foreach (var value in new[] { "500", "1e999" })
        {
            var row = preparer.Prepare(Json($$"""{"age": {{value}}, "visits": 1, "score": 1}"""));
            Assert.Equal(error, row.Error?.Code);
            if (error is null)
            {
                Assert.Equal(expected, row.Values[0]);
                Assert.NotEmpty(row.Warnings);
            }
        }
    }

    [Theory]
    [InlineData("""{"age": "NaN"}""", "wrong_type")]
    [InlineData("""{"age": 1, "age": 2}""", "duplicate_feature")]
    [InlineData("[1, 2]", "wrong_length")]
    [InlineData("\"row\"", "invalid_item")]
    [InlineData("""{"age": {"nested": 1}}""", "wrong_type")]
    public void Malformed_items_are_refused_with_a_code(string item, string code)
    {
        var row = new RowPreparer(new FeatureSchema { Features = Features }).Prepare(Json(item));

        Assert.Equal(code, row.Error?.Code);
    }

    [Fact]
    public void Rows_below_the_minimum_coverage_are_refused_listing_what_is_missing()
    {
        var row = new RowPreparer(new FeatureSchema { Features = Features, MinimumCoverage = 0.6 }).Prepare(Json("""{"age": 30}"""));

        Assert.Equal("insufficient_coverage", row.Error?.Code);
        Assert.Contains("visits, score", row.Error!.Message, StringComparison.Ordinal);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = true }).RootElement;
}
