using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Skillscope.Scoring.Serving;
using Skillscope.Trees;
using Skillscope.Trees.Scaling;

namespace Skillscope.Scoring.Packages;

/// <summary>
/// A versioned, checksummed model: the XGBoost model file, its feature schema, optional scaler and
/// calibrator, metadata, and <c>manifest.json</c> with the SHA-256 of every other file. Read from a
/// directory or a <c>.zip</c>; everything is verified on load (checksums, schema against the model, a
/// smoke prediction), so a package that loads is a package that scores.
/// </summary>
public sealed class ModelPackage
{
    public const string ManifestFile = "manifest.json";
    public const string SchemaFile = "schema.json";
    public const string MetadataFile = "metadata.json";
    public const string ScalerFile = "scaler.json";
    public const string CalibratorFile = "calibrator.json";

    private const long MaxPackageBytes = 512L << 20;
    private const int MaxFiles = 16;

    private readonly IReadOnlyDictionary<string, byte[]> _files;

    private ModelPackage(IReadOnlyDictionary<string, byte[]> files, string modelFile, XgboostModel model, FeatureSchema schema,
        ModelMetadata metadata, StandardScaler? scaler, ScoreCalibration? calibration)
    {
        _files = files;
        ModelFile = modelFile;
        Model = model;
        Schema = schema;
        Metadata = metadata;
        Scaler = scaler;
        Calibration = calibration;
        ModelSha256 = Sha256Hex(files[modelFile]);
        SchemaSha256 = Sha256Hex(files.TryGetValue(SchemaFile, out var schemaBytes) ? schemaBytes : Encoding.UTF8.GetBytes(schema.ToJson()));
        Sha256 = Sha256Hex(Encoding.UTF8.GetBytes(ManifestLines(files)));
    }

    /// <summary><c>model.json</c> or <c>model.ubj</c>.</summary>
    public string ModelFile { get; }

    public XgboostModel Model { get; }

    public FeatureSchema Schema { get; }

    public ModelMetadata Metadata { get; }

    public StandardScaler? Scaler { get; }

    public ScoreCalibration? Calibration { get; }

    /// <summary>SHA-256 of the model file.</summary>
    public string ModelSha256 { get; }

    /// <summary>SHA-256 of the feature schema: packages with equal schemas prepare a row identically.</summary>
    public string SchemaSha256 { get; }

    /// <summary>SHA-256 of the package: of its sorted manifest lines, so it covers every file.</summary>
    public string Sha256 { get; }

    /// <summary>Builds a package from its parts (the schema is derived from the model when not given).</summary>
    /// <exception cref="PackageException">A part is invalid or the parts do not fit together.</exception>
    public static ModelPackage Create(byte[] modelBytes, ModelMetadata metadata, FeatureSchema? schema = null,
        StandardScaler? scaler = null, ScoreCalibration? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        ArgumentNullException.ThrowIfNull(metadata);
        var model = LoadModel(modelBytes);
        schema ??= FeatureSchema.FromModel(model);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [LooksLikeJsonText(modelBytes) ? "model.json" : "model.ubj"] = modelBytes,
            [SchemaFile] = Encoding.UTF8.GetBytes(schema.ToJson()),
            [MetadataFile] = Encoding.UTF8.GetBytes(metadata.ToJson()),
        };
        if (scaler is not null)
        {
            files[ScalerFile] = Encoding.UTF8.GetBytes(scaler.ToJson());
        }

        if (calibration is not null)
        {
            files[CalibratorFile] = Encoding.UTF8.GetBytes(calibration.ToJson());
        }

        files[ManifestFile] = Encoding.UTF8.GetBytes(ManifestJson(files));
        return FromFiles(files);
    }

    /// <summary>Reads and verifies a package directory or <c>.zip</c> file.</summary>
    /// <exception cref="PackageException">Unreadable, tampered with, or inconsistent — the reason named.</exception>
    public static ModelPackage Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            long total = 0;
            foreach (var file in Directory.EnumerateFiles(path))
            {
                var info = new FileInfo(file);
                total += info.Length;
                if (files.Count >= MaxFiles || total > MaxPackageBytes)
                {
                    throw new PackageException("package_too_large", $"{path} holds more than {MaxFiles} files or {MaxPackageBytes >> 20} MiB");
                }

                files[info.Name] = File.ReadAllBytes(file);
            }

            return FromFiles(files);
        }

        if (File.Exists(path))
        {
            using var stream = File.OpenRead(path);
            return FromZip(stream);
        }

        throw new PackageException("package_not_found", $"no package directory or .zip at {path}");
    }

    /// <summary>Reads and verifies a zipped package; a single top-level folder inside the archive is allowed.</summary>
    /// <exception cref="PackageException">Not a zip, too large, tampered with, or inconsistent.</exception>
    public static ModelPackage FromZip(Stream zip)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            var entries = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            if (entries.Count > MaxFiles)
            {
                throw new PackageException("package_too_large", $"the archive holds {entries.Count} files; a package has at most {MaxFiles}");
            }

            long total = 0;
            foreach (var entry in entries)
            {
                total += entry.Length;
                if (total > MaxPackageBytes)
                {
                    throw new PackageException("package_too_large", $"the archive unpacks to more than {MaxPackageBytes >> 20} MiB");
                }

                string name = entry.FullName.Contains('/') ? entry.FullName[(entry.FullName.LastIndexOf('/') + 1)..] : entry.FullName;
                if (!IsPlainEntry(entry.FullName, name))
                {
                    throw new PackageException("package_invalid", $"the archive's entry \"{Printable(entry.FullName)}\" is not a plain file name (letters, digits, '.', '_' and '-', at most one folder above it)");
                }

                if (!files.TryAdd(name, ReadEntry(entry)))
                {
                    throw new PackageException("package_invalid", $"the archive holds two files named {name}");
                }
            }
        }
        catch (InvalidDataException exception)
        {
            throw new PackageException("package_invalid", $"not a readable .zip archive: {exception.Message}", exception);
        }

        return FromFiles(files);
    }

    // A package's files are written under these names into the model store: a name that climbs out of
    // its folder ("..", "x/..", "..\x"), hides (".x") or holds a separator is refused, not cleaned up.
    private static bool IsPlainEntry(string fullName, string name)
    {
        if (name.Length is 0 or > 100 || name[0] == '.' || fullName.Count(c => c == '/') > 1 || fullName.StartsWith('/'))
        {
            return false;
        }

        foreach (string part in fullName.Split('/'))
        {
            foreach (char c in part)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                {
                    return false;
                }
            }

            if (part is "" or "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(string text) => new([.. text.Take(100).Select(c => char.IsControl(c) ? '?' : c)]);

    /// <summary>Writes the package's files into <paramref name="directory"/>, which must not exist yet.</summary>
    public void WriteTo(string directory)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory))!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(directory)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var (name, bytes) in _files)
            {
                File.WriteAllBytes(Path.Combine(staging, name), bytes);
            }

            // Rename last: a reader sees the whole package or none of it.
            Directory.Move(staging, directory);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>The package as a .zip archive.</summary>
    public byte[] ToZip()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// JSON text opens with <c>{</c> and then whitespace, a quote or <c>}</c>; UBJSON also opens with
    /// <c>{</c> but follows it with a type marker (<c>i U I l L $ #</c>).
    /// </summary>
    private static bool LooksLikeJsonText(byte[] bytes)
    {
        int i = 0;
        while (i < bytes.Length && bytes[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
        {
            i++;
        }

        if (i >= bytes.Length || bytes[i] != (byte)'{')
        {
            return false;
        }

        return i + 1 < bytes.Length && bytes[i + 1] is (byte)'"' or (byte)'}' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
    }

    internal static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static ModelPackage FromFiles(Dictionary<string, byte[]> files)
    {
        if (!files.TryGetValue(ManifestFile, out var manifestBytes))
        {
            throw new PackageException("manifest_missing", "the package has no manifest.json");
        }

        VerifyManifest(files, manifestBytes);
        var modelFiles = files.Keys.Where(n => n is "model.json" or "model.ubj").ToList();
        if (modelFiles.Count != 1)
        {
            throw new PackageException("model_missing", "the package must hold exactly one model file, model.json or model.ubj");
        }

        string modelFile = modelFiles[0];
        var model = LoadModel(files[modelFile]);
        if (!files.TryGetValue(MetadataFile, out var metadataBytes))
        {
            throw new PackageException("metadata_invalid", "the package has no metadata.json");
        }

        var metadata = ModelMetadata.FromJson(Encoding.UTF8.GetString(metadataBytes));
        var schema = files.TryGetValue(SchemaFile, out var schemaBytes)
            ? FeatureSchema.FromJson(Encoding.UTF8.GetString(schemaBytes))
            : FeatureSchema.FromModel(model);
        var scaler = files.TryGetValue(ScalerFile, out var scalerBytes) ? ReadScaler(scalerBytes) : null;
        var calibration = files.TryGetValue(CalibratorFile, out var calibratorBytes)
            ? ScoreCalibration.FromJson(Encoding.UTF8.GetString(calibratorBytes))
            : null;
        CheckFits(model, schema, scaler, calibration);
        var package = new ModelPackage(files, modelFile, model, schema, metadata, scaler, calibration);
        SmokeTest(package);
        return package;
    }

    private static void VerifyManifest(Dictionary<string, byte[]> files, byte[] manifestBytes)
    {
        Dictionary<string, string>? listed;
        try
        {
            using var document = JsonDocument.Parse(manifestBytes);
            listed = document.RootElement.GetProperty("files").Deserialize<Dictionary<string, string>>();
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new PackageException("manifest_invalid", $"manifest.json is not valid: {exception.Message}", exception);
        }

        if (listed is null)
        {
            throw new PackageException("manifest_invalid", "manifest.json lists no files");
        }

        foreach (var name in files.Keys)
        {
            if (name != ManifestFile && !listed.ContainsKey(name))
            {
                throw new PackageException("checksum_mismatch", $"{name} is in the package but not in its manifest");
            }
        }

        foreach (var (name, expected) in listed)
        {
            if (!files.TryGetValue(name, out var bytes))
            {
                throw new PackageException("checksum_mismatch", $"the manifest lists {name}, which the package does not hold");
            }

            if (!string.Equals(Sha256Hex(bytes), expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new PackageException("checksum_mismatch", $"{name} does not match its SHA-256 in the manifest: the package was altered or damaged");
            }
        }
    }

    private static XgboostModel LoadModel(byte[] bytes)
    {
        try
        {
            return XgboostModel.Load(bytes);
        }
        catch (TreeModelException exception)
        {
            throw new PackageException("model_invalid", $"the model file cannot be scored: {exception.Message}", exception);
        }
    }

    private static StandardScaler ReadScaler(byte[] bytes)
    {
        try
        {
            return StandardScaler.FromJson(Encoding.UTF8.GetString(bytes));
        }
        catch (ArgumentException exception)
        {
            throw new PackageException("scaler_invalid", $"scaler.json is not valid: {exception.Message}", exception);
        }
    }

    private static void CheckFits(XgboostModel model, FeatureSchema schema, StandardScaler? scaler, ScoreCalibration? calibration)
    {
        if (schema.Features.Count != model.FeatureCount)
        {
            throw new PackageException("schema_mismatch", $"the schema lists {schema.Features.Count} features; the model takes {model.FeatureCount}");
        }

        if (model.FeatureNames is { } names)
        {
            for (int i = 0; i < names.Count; i++)
            {
                if (names[i] != schema.Features[i].Name)
                {
                    throw new PackageException("schema_mismatch", $"schema feature {i} is \"{schema.Features[i].Name}\"; the model calls it \"{names[i]}\"");
                }
            }
        }

        if (scaler is not null && scaler.Mean.Count != model.FeatureCount)
        {
            throw new PackageException("scaler_invalid", $"the scaler has {scaler.Mean.Count} features; the model takes {model.FeatureCount}");
        }

        if (calibration is not null && model.OutputWidth != 1)
        {
            throw new PackageException("calibrator_invalid", "a calibrator applies to single-output models only");
        }
    }

    /// <summary>A row of all-missing values and a row of in-range values must both give finite scores.</summary>
    private static void SmokeTest(ModelPackage package)
    {
        var scorer = new PackageScorer(package);
        var missing = new float[package.Model.FeatureCount];
        Array.Fill(missing, float.NaN);
        var typical = new float[missing.Length];
        for (int i = 0; i < typical.Length; i++)
        {
            var feature = package.Schema.Features[i];
            typical[i] = (float)((feature.Minimum, feature.Maximum) switch
            {
                (double min, double max) => (min + max) / 2,
                (double min, null) => min,
                (null, double max) => max,
                _ => 0,
            });
        }

        foreach (var row in new[] { missing, typical })
        {
            var scores = scorer.Score(row);
            foreach (var score in scores)
            {
                if (!double.IsFinite(score))
                {
                    throw new PackageException("smoke_test_failed", "the model gives a non-finite score on a test row");
                }
            }
        }
    }

    private static string ManifestLines(IReadOnlyDictionary<string, byte[]> files)
    {
        var builder = new StringBuilder();
        foreach (var name in files.Keys.Where(n => n != ManifestFile).Order(StringComparer.Ordinal))
        {
            builder.Append(Sha256Hex(files[name])).Append("  ").Append(name).Append('\n');
        }

        return builder.ToString();
    }

    private static string ManifestJson(Dictionary<string, byte[]> files)
    {
        var listed = files.Keys.Where(n => n != ManifestFile).Order(StringComparer.Ordinal).ToDictionary(n => n, n => Sha256Hex(files[n]));
        return JsonSerializer.Serialize(new { algorithm = "sha256", files = listed }, FeatureSchema.JsonOptions);
    }
}
