using Skillscope.Assessment.Features;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>docs/FEATURES.md documents every feature and every lexicon entry the code uses.</summary>
public sealed class FeatureDocumentationTests
{
    [Fact]
    public void Every_feature_and_lexicon_entry_is_documented()
    {
        string docs = File.ReadAllText(FindDocs());
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

    private static string FindDocs()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "FEATURES.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/FEATURES.md not found above the test directory");
    }
}
