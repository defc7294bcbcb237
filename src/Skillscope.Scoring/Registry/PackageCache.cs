using Skillscope.Scoring.Packages;

namespace Skillscope.Scoring.Registry;

/// <summary>
/// Loads registered packages for serving. The registry's database holds every package's bytes; a
/// machine keeps unpacked copies in its own folder only as a cache, which it checks against the
/// registered SHA-256 on every load and may lose at any time (a new replica starts with none).
/// </summary>
public sealed class PackageCache(IRegistryStore store, string? directory)
{
    /// <summary>Where a version's unpacked copy lives under a cache (or model store) folder.</summary>
    public static string DirectoryOf(string root, string name, string version, string sha256) =>
        Path.Combine(root, name, $"{version}-{sha256[..12]}");

    /// <summary>
    /// The verified package of <paramref name="record"/>: this machine's copy when it still hashes to the
    /// registered SHA-256, else the database's bytes (refilling the copy), else — a version registered
    /// before packages were kept in the database — the folder it was registered into, whose bytes are then
    /// stored for every other process.
    /// </summary>
    /// <exception cref="PackageException">No verified bytes anywhere: the reason named (e.g. <c>checksum_mismatch</c>).</exception>
    /// <exception cref="IOException">The registering machine's folder could not be read.</exception>
    public async Task<ModelPackage> LoadAsync(ModelVersionRecord record, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        string? cached = directory is null ? null : DirectoryOf(directory, record.Name, record.Version, record.Sha256);
        if (cached is not null && ReadCopy(cached, record.Sha256) is { } copy)
        {
            return copy;
        }

        var stored = await store.GetPackageAsync(record.Sha256, cancellation).ConfigureAwait(false);
        if (stored is null)
        {
            var registered = ModelPackage.Load(record.StorePath);
            Verify(registered, record, "the package stored at registration");
            await store.PutPackageAsync(record.Sha256, registered.ToZip(), cancellation).ConfigureAwait(false);
            return registered;
        }

        if (ModelPackage.Sha256Hex(stored.Zip) != stored.ZipSha256)
        {
            throw new PackageException("checksum_mismatch", $"the package bytes the database holds for {record.Name} {record.Version} do not match their SHA-256");
        }

        ModelPackage package;
        using (var stream = new MemoryStream(stored.Zip, writable: false))
        {
            try
            {
                package = ModelPackage.FromZip(stream);
            }
            catch (PackageException exception)
            {
                throw new PackageException(exception.Code, $"the package bytes the database holds for {record.Name} {record.Version} are damaged: {exception.Message}", exception);
            }
        }

        Verify(package, record, "the package bytes the database holds");
        if (cached is not null)
        {
            WriteCopy(package, cached);
        }

        return package;
    }

    private static void Verify(ModelPackage package, ModelVersionRecord record, string what)
    {
        if (package.Sha256 != record.Sha256)
        {
            throw new PackageException("checksum_mismatch", $"{what} for {record.Name} {record.Version} no longer match the SHA-256 it was registered with");
        }
    }

    /// <summary>The cached copy if it verifies; a damaged or stale one is removed (the database has the real bytes).</summary>
    private static ModelPackage? ReadCopy(string cached, string sha256)
    {
        if (!Directory.Exists(cached))
        {
            return null;
        }

        try
        {
            var package = ModelPackage.Load(cached);
            if (package.Sha256 == sha256)
            {
                return package;
            }
        }
        catch (Exception exception) when (exception is PackageException or IOException or UnauthorizedAccessException)
        {
            // Falls through to the database.
        }

        try
        {
            Directory.Delete(cached, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left as it is: it is checked, and passed over, again on every load.
        }

        return null;
    }

    private static void WriteCopy(ModelPackage package, string cached)
    {
        try
        {
            package.WriteTo(cached);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A full or read-only disk, or another load of the same version that wrote it first: the package
            // is served from memory either way, and the next load fetches it again.
        }
    }
}
