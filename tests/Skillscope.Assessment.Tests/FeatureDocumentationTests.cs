using Skillscope.Assessment.Features;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>docs/FEATURES.md documents every feature and every lexicon entry the code uses.</summary>
public sealed class FeatureDocumentationTests
{
    [Fact]
    public void Every_feature_and_lexicon_entry_is_documented()
    {
        string docs = File.ReadAllText(Docs.Find("FEATURES.md"));
        foreach (var feature in FeatureSet.Features)
        {
            Assert.Contains($"`{feature.Name}` | {feature.Label} |", docs, StringComparison.Ordinal);
        }

        foreach (var lexicon in Lexicons.All)
        {
            Assert.Contains($"**{lexicon.Name}** ({lexicon.Entries.Count})", docs, StringComparison.Ordinal);
            foreach (var entry in lexicon.Entries)
            {
                Assert.Contains($"*{entry}*", docs, StringComparison.Ordinal);
            }
        }
    }
}
