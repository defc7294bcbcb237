using System.Security.Cryptography;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;

namespace Skillscope.Cli.Demo;

/// <summary>
/// Registers a freshly trained model unless the registry already holds the same model file (then that
/// version is reused), so running a demo or a training twice adds nothing. New versions count up:
/// 1.0.0, 1.0.1, …
/// </summary>
internal static class PackageRegistration
{
    public static async Task<(string Version, bool Added)> RegisterOrReuseAsync(ModelRegistry registry, string name, byte[] modelBytes, Func<string, ModelPackage> package)
    {
        var versions = await registry.Store.ListVersionsAsync(name);
        string modelSha = Convert.ToHexStringLower(SHA256.HashData(modelBytes));
        if (versions.FirstOrDefault(v => v.ModelSha256 == modelSha) is { } same)
        {
            return (same.Version, false);
        }

        var record = await registry.RegisterAsync(package($"1.0.{versions.Count}"), "cli");
        return (record.Version, true);
    }
}
