using Microsoft.ML.Tokenizers;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Reasoning;
using Skillscope.Assessment.Synthetic;
using Xunit;
using Xunit.Abstractions;

namespace Skillscope.Server.Tests.Reasoning;

/// <summary>
/// Prompt token counts: a known model's prompts are counted with its own tokenizer (what the API reports in
/// <c>usage</c>); for an unknown model the estimator, checked against a real BPE tokenizer (o200k; cl100k for
/// older models), must never count fewer tokens than the API will, nor waste much of the budget. The figures
/// it prints are the ones docs/REASONING.md quotes.
/// </summary>
public sealed class TokenEstimatorTests(ITestOutputHelper output)
{
    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForModel("gpt-4o");

    [Theory]
    [InlineData("gpt-4o-mini", true)]
    [InlineData("gpt-4o", true)]
    [InlineData("gpt-4.1-mini", true)]
    [InlineData("gpt-4", true)]
    [InlineData("gpt-3.5-turbo", true)]
    [InlineData("llama-3.1-70b-instruct", false)]
    [InlineData("fake-model", false)]
    [InlineData("text-davinci-003", false)]
    [InlineData("gpt2", false)]
    public void A_known_models_tokenizer_is_used_and_an_unknown_ones_prompts_are_estimated(string model, bool exact)
    {
        var counter = PromptTokenCounter.ForModel(model);
        Assert.Equal(exact, counter.Exact);
        string[] messages = ["You write feedback for teachers.", "{\"skills\":[{\"skill\":\"empathy\",\"evidence\":[\"I asked how she felt.\"]}]}"];
        int counted = counter.CountMessages(messages);
        int expected = exact ? 3 + messages.Sum(m => 4 + TiktokenTokenizer.CreateForModel(model).CountTokens(m)) : 3 + messages.Sum(m => 4 + TokenEstimator.Estimate(m));
        Assert.Equal(expected, counted);
    }

    [Fact]
    public void Prompts_for_gpt_4o_count_what_the_api_reports()
    {
        var assessment = SampleAssessments.Create("st1", "I think we could try it another way, maybe if we ask Sam's group first?");
        var prompt = FeedbackPrompt.Build(assessment, new Redactor([]), 100_000, PromptTokenCounter.ForModel("gpt-4o"))!;
        Assert.Equal(FakeChatServer.PromptTokens([prompt.System, prompt.User]), prompt.PromptTokens);
    }

    [Fact]
    public void Prompts_of_a_model_without_a_known_tokenizer_are_never_underestimated_and_overestimated_by_little()
    {
        var unknown = PromptTokenCounter.ForModel("fake-model");
        // Real prompts: generated students' own sentences as quotes, feature definitions as item descriptions.
        var generator = new DistrictGenerator(5);
        var roster = generator.Roster(60);
        var descriptions = FeatureSet.Features.Select(f => f.Definition).ToList();
        var ratios = new List<double>();
        foreach (var student in generator.Students(roster).Where(s => s.Utterances.Count > 0).Take(40))
        {
            var assessment = SampleAssessments.Create(student.Student.Id, student.Utterances[0].Text, descriptions: descriptions);
            foreach (int limit in new[] { 100_000, 1_200 })
            {
                var prompt = FeedbackPrompt.Build(assessment, new Redactor([]), limit, unknown);
                if (prompt is null)
                {
                    continue;
                }

                int actual = FakeChatServer.PromptTokens([prompt.System, prompt.User]);
                Assert.True(prompt.PromptTokens >= actual, $"estimated {prompt.PromptTokens} < {actual} actual tokens");
                ratios.Add((double)prompt.PromptTokens / actual);
            }
        }

        ratios.Sort();
        output.WriteLine($"prompts {ratios.Count}: estimate/actual min {ratios[0]:F3}, median {ratios[ratios.Count / 2]:F3}, max {ratios[^1]:F3}");
        Assert.True(ratios[^1] < 1.6, $"overestimates by up to {ratios[^1]:F2}×");
    }

    [Theory]
    [InlineData("I think we could try it another way, maybe if we ask Sam's group first?")]
    [InlineData("Collaboration, perspective-taking and self-regulation are interrelated competencies.")]
    [InlineData("Scores: 0.7342, 12345678, 3.14159 and 2026-11-30T10:15:00Z.")]
    [InlineData("Él dijo: «¡No me rindo!» — naïve café, jalapeño, Zürich.")]
    [InlineData("Great job 🎉🎉 keep going 💪")]
    [InlineData("{\"skill\":\"empathy\",\"band\":\"developing\",\"evidence\":[{\"source\":\"linguistic\"}]}")]
    [InlineData("   indented\n\n\tlines\r\n")]
    public void Odd_texts_are_not_underestimated(string text)
    {
        int actual = O200k.CountTokens(text);
        int estimated = TokenEstimator.Estimate(text);
        output.WriteLine($"{estimated} estimated, {actual} actual");
        Assert.True(estimated >= actual, $"estimated {estimated} < {actual}");
    }
}
