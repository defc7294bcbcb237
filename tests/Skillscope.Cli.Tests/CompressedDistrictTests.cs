using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>A district generated gzip-compressed is imported and read as it is, and a file that is not gzip is refused by name.</summary>
public sealed class CompressedDistrictTests
{
    [Fact]
    public void A_compressed_district_imports_once_and_its_features_extract_without_unpacking()
    {
        using var folder = new TempFolder();
        string district = folder.File("district"), data = folder.File("data");
        var generated = CliRun.Of("generate", "--students", "100", "--seed", "12", "--out", district, "--gzip");
        Assert.True(generated.ExitCode == 0, generated.Error);
        foreach (string name in new[] { "utterances.jsonl.gz", "events.jsonl.gz", "ratings.csv.gz" })
        {
            byte[] head = File.ReadAllBytes(Path.Combine(district, name))[..2];
            Assert.Equal(new byte[] { 0x1f, 0x8b }, head);
        }

        Assert.False(File.Exists(Path.Combine(district, "events.jsonl")));
        var first = CliRun.Of("import", district, "--data-dir", data);
        Assert.True(first.ExitCode == 0, first.Error + first.Output);
        Assert.Contains("events.jsonl.gz", first.Output, StringComparison.Ordinal);
        Assert.Contains("0 already stored, 0 rejected", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("imported: 0 rows written", first.Output, StringComparison.Ordinal);
        var again = CliRun.Of("import", district, "--data-dir", data);
        Assert.Contains("imported: 0 rows written", again.Output, StringComparison.Ordinal);

        var extracted = CliRun.Of("features", "extract", "--district", district, "--out", folder.File("features.jsonl"));
        Assert.True(extracted.ExitCode == 0, extracted.Error);
        Assert.Equal(100, File.ReadAllLines(folder.File("features.jsonl")).Length);

        string fake = folder.File("events.jsonl.gz");
        File.WriteAllText(fake, "{\"student_id\": \"st0000001\"}\n");
        var refused = CliRun.Of("import", fake, "--data-dir", data);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("events.jsonl.gz", refused.Error, StringComparison.Ordinal);
        Assert.Contains("gzip", refused.Error, StringComparison.Ordinal);
    }
}
