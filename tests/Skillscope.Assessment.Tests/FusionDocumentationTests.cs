using System.Globalization;
using Skillscope.Assessment.Fusion;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>docs/EVIDENCE.md lists every fusion indicator with its normalisation, as the code uses it.</summary>
public sealed class FusionDocumentationTests
{
    [Fact]
    public void Every_indicator_is_documented_with_its_parameters()
    {
        string docs = File.ReadAllText(Docs.Find("EVIDENCE.md"));
        var missing = Rows().Where(row => !docs.Contains(row, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/EVIDENCE.md lacks these indicator rows:\n" + string.Join('\n', missing));
    }

    /// <summary>The table rows as the docs spell them.</summary>
    public static IEnumerable<string> Rows()
    {
        foreach (var (skill, indicators) in FusionIndicators.Default)
        {
            foreach (var (source, list) in new[] { ("linguistic", indicators.Linguistic), ("behavioral", indicators.Behavioral) })
            {
                foreach (var i in list)
                {
                    yield return string.Create(CultureInfo.InvariantCulture,
                        $"| {skill} | {source} | `{i.Feature}` | {(i.Sign > 0 ? "+" : "−")} | {i.Method} | {i.Center} | {i.Scale} |");
                }
            }
        }
    }
}
