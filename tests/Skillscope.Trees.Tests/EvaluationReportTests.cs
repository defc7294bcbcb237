using System.Text.RegularExpressions;
using Skillscope.Trees.Evaluation;
using Skillscope.Trees.Training;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>The evaluation report of seven models reads as well as that of one.</summary>
public sealed class EvaluationReportTests
{
    [Fact]
    public void Seven_models_get_seven_colours_a_legend_clear_of_the_curves_and_a_metrics_table_that_scrolls()
    {
        var data = SyntheticTable.Create(1_500, "binary:logistic");
        var evaluations = new List<ModelEvaluation>();
        for (int m = 0; m < 7; m++)
        {
            var model = GradientBoostingTrainer.Train(data, new TrainingParameters { Objective = "binary:logistic", NumRound = 3 + m, MaxDepth = 3, Seed = (ulong)m, Threads = 1 });
            evaluations.Add(ModelEvaluator.Evaluate($"skill_{m}.ubj", model.ToScoringModel(), data));
        }

        string html = EvaluationReport.Html(evaluations, "the training rows");
        Assert.Matches("<div class=\"scroll\"><table>", html);

        string roc = Regex.Match(html, "<svg[^>]*aria-label=\"ROC curve\".*?</svg>", RegexOptions.Singleline).Value;
        var colours = Regex.Matches(roc, "<polyline fill=\"none\" stroke=\"(#[0-9a-f]{6})\"").Select(c => c.Groups[1].Value).ToList();
        Assert.Equal(7, colours.Count);
        Assert.Equal(7, colours.Distinct().Count());

        // The plot ends at y = 220 (its x axis); every legend entry is below it.
        var legend = Regex.Matches(roc, "<line x1=\"[\\d.]+\" y1=\"([\\d.]+)\" x2=\"[\\d.]+\" y2=\"[\\d.]+\" stroke=\"#[0-9a-f]{6}\" stroke-width=\"3\"").Select(l => double.Parse(l.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(7, legend.Count);
        Assert.All(legend, y => Assert.True(y > 260, $"a legend entry at y = {y} lies over the plot"));
    }
}
