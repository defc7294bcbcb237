using System.Security.Cryptography;
using Skillscope.Scoring.Packages;

namespace Skillscope.Scoring.Registry;

/// <summary>
/// Registers a freshly trained model unless the registry already holds the same model file (then that
/// version is reused), so training twice on the same data adds nothing. New versions count up:
/// 1.0.0, 1.0.1, …
/// </summary>
public static class PackageRegistration
{
    public static async Task<(string Version, bool Added)> RegisterOrReuseAsync(ModelRegistry registry, string name, byte[] modelBytes, Func<string, ModelPackage> package,
        string actor = "cli", CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(package);
        var versions = await registry.Store.ListVersionsAsync(name, cancellation).ConfigureAwait(false);
        string modelSha = Convert.ToHexStringLower(SHA256.HashData(modelBytes));
        if (versions.FirstOrDefault(v => v.ModelSha256 == modelSha) is { } same)
        {
            return (same.Version, false);
        }

        var record = await registry.RegisterAsync(package($"1.0.{versions.Count}"), actor, cancellation).ConfigureAwait(false);
        return (record.Version, true);
    }
}
