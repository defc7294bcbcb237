using System.IO.Compression;
using System.Text;
using Skillscope.Scoring.Packages;
using Skillscope.Trees.Calibration;
using Skillscope.Trees.Scaling;
using Xunit;

namespace Skillscope.Scoring.Tests;

/// <summary>Packages verify everything on load and refuse, by code, whatever does not fit.</summary>
public sealed class ModelPackageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "skillscope-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_package_round_trips_through_a_directory_and_a_zip_with_the_same_hash()
    {
        var package = ModelPackage.Create(TestModels.Binary(), Metadata(), scaler: new StandardScaler([1, 2, 3], [1, 1, 2]),
            calibration: new ScoreCalibration(new PlattCalibrator(-1.5, 0.2)));
        var path = Path.Combine(_directory, "pkg");
        package.WriteTo(path);
        var fromDirectory = ModelPackage.Load(path);
        var zip = Path.Combine(_directory, "pkg.zip");
        File.WriteAllBytes(zip, package.ToZip());
        var fromZip = ModelPackage.Load(zip);

        Assert.Equal("model.ubj", package.ModelFile);
        Assert.True(File.Exists(Path.Combine(path, "model.ubj")));
        Assert.Equal(package.Sha256, fromDirectory.Sha256);
        Assert.Equal(package.Sha256, fromZip.Sha256);
        Assert.Equal(["age", "visits", "score"], fromZip.Schema.Features.Select(f => f.Name));
        Assert.Equal("sigmoid", fromZip.Calibration!.Method);
        Assert.Equal([1.0, 2.0, 3.0], fromZip.Scaler!.Mean);
    }

    [Fact]
    public void A_changed_byte_anywhere_is_refused_as_a_checksum_mismatch()
    {
        var path = Path.Combine(_directory, "pkg");
        ModelPackage.Create(TestModels.Binary(), Metadata()).WriteTo(path);
        var schemaPath = Path.Combine(path, ModelPackage.SchemaFile);
        File.WriteAllText(schemaPath, File.ReadAllText(schemaPath).Replace("\"age\"", "\"agE\"", StringComparison.Ordinal));

        Assert.Equal("checksum_mismatch", Assert.Throws<PackageException>(() => ModelPackage.Load(path)).Code);

        File.WriteAllText(Path.Combine(path, "extra.txt"), "x");
        Assert.Equal("checksum_mismatch", Assert.Throws<PackageException>(() => ModelPackage.Load(path)).Code);
    }

    [Fact]
    public void Parts_that_do_not_fit_the_model_are_refused_by_code()
    {
        var wrongNames = new FeatureSchema { Features = [new("age"), new("visits"), new("other")] };
        var tooFew = new FeatureSchema { Features = [new("age"), new("visits")] };

        Assert.Equal("schema_mismatch", Assert.Throws<PackageException>(() => ModelPackage.Create(TestModels.Binary(), Metadata(), wrongNames)).Code);
        Assert.Equal("schema_mismatch", Assert.Throws<PackageException>(() => ModelPackage.Create(TestModels.Binary(), Metadata(), tooFew)).Code);
        Assert.Equal("scaler_invalid", Assert.Throws<PackageException>(() => ModelPackage.Create(TestModels.Binary(), Metadata(), scaler: new StandardScaler([1], [1]))).Code);
        Assert.Equal("model_invalid", Assert.Throws<PackageException>(() => ModelPackage.Create(Encoding.UTF8.GetBytes("{\"learner\":1}"), Metadata())).Code);
        Assert.Equal("invalid_version", Assert.Throws<PackageException>(() => ModelMetadata.CheckVersion("1.0")).Code);
        Assert.Equal("invalid_name", Assert.Throws<PackageException>(() => ModelMetadata.CheckName("Leads!")).Code);
    }

    [Fact]
    public void Archives_that_are_not_packages_are_refused_by_code()
    {
        Assert.Equal("package_invalid", Assert.Throws<PackageException>(() => ModelPackage.FromZip(new MemoryStream(Encoding.UTF8.GetBytes("not a zip")))).Code);

        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("model.ubj").Open();
            entry.Write(TestModels.Binary());
        }

        buffer.Position = 0;
        Assert.Equal("manifest_missing", Assert.Throws<PackageException>(() => ModelPackage.FromZip(buffer)).Code);
        Assert.Equal("package_not_found", Assert.Throws<PackageException>(() => ModelPackage.Load(Path.Combine(_directory, "nowhere"))).Code);
    }

    [Theory]
    [InlineData("x/..")]
    [InlineData("..\\..\\x")]
    [InlineData("../model.ubj")]
    [InlineData("a/b/model.ubj")]
    [InlineData("pkg/.hidden")]
    [InlineData("pkg/mod el.ubj")]
    [InlineData("/model.ubj")]
    public void An_entry_that_is_not_a_plain_file_name_is_refused_by_code(string name)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(name).Open();
            entry.Write(TestModels.Binary());
        }

        buffer.Position = 0;
        var refused = Assert.Throws<PackageException>(() => ModelPackage.FromZip(buffer));
        Assert.Equal("package_invalid", refused.Code);
        Assert.Contains("not a plain file name", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_or_version_with_a_trailing_line_break_is_refused()
    {
        Assert.Equal("invalid_name", Assert.Throws<PackageException>(() => ModelMetadata.CheckName("lead_conversion\n")).Code);
        Assert.Equal("invalid_version", Assert.Throws<PackageException>(() => ModelMetadata.CheckVersion("1.0.0\n")).Code);
        ModelMetadata.CheckName("lead_conversion");
        ModelMetadata.CheckVersion("1.0.0");
    }

    [Fact]
    public void Calibrators_round_trip_and_bad_ones_are_refused()
    {
        var isotonic = new ScoreCalibration(new IsotonicCalibrator([0.1, 0.5, 0.9], [0.0, 0.4, 1.0]));
        var again = ScoreCalibration.FromJson(isotonic.ToJson());
        Assert.Equal(isotonic.Apply(0.3), again.Apply(0.3));
        Assert.Equal(0.2, again.Apply(0.3), 12);

        foreach (var bad in new[] { "[]", "{\"method\":\"beta\"}", "{\"method\":\"sigmoid\",\"a\":1}", "{\"method\":\"isotonic\",\"thresholds\":[1,0],\"values\":[0,1]}", "{" })
        {
            Assert.Equal("calibrator_invalid", Assert.Throws<PackageException>(() => ScoreCalibration.FromJson(bad)).Code);
        }
    }

    private static ModelMetadata Metadata() => new() { Name = "lead_conversion", Version = "1.0.0" };
}
