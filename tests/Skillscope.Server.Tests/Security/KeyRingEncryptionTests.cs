using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Skillscope.Storage;
using Xunit;

namespace Skillscope.Server.Tests.Security;

/// <summary>The data-protection key ring in the database, encrypted with a certificate every replica mounts.</summary>
public sealed partial class KeyRingEncryptionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("skillscope-keyring-").FullName;

    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_another_replica_still_reads_them()
    {
        var settings = Certificate();
        await using var first = await RunningServer.StartAsync(settings);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = first.Address };
        string page = await browser.GetStringAsync("/login");
        string token = TokenInput().Match(page).Groups[1].Value;

        using var store = SqlRegistryStore.Sqlite(new ServerOptions(first.DataDirectory).SqlitePath);
        var stored = store.DataProtectionKeys.All();
        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });

        // The antiforgery token from the first replica is accepted by a second with the same certificate:
        // a wrong password is a failed sign-in (302), not a refused form (400).
        await using var second = await first.StartReplicaAsync(settings);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "nobody", ["password"] = "x", ["__RequestVerificationToken"] = token });
        using var posted = await browser.PostAsync(new Uri(second.Address, "/login"), form);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.StartsWith("/login?failed=1", posted.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_loaded_stops_the_start_with_the_file_named()
    {
        string bad = Path.Combine(_folder, "not-a-certificate.pfx");
        await File.WriteAllTextAsync(bad, "nothing here");
        var refused = await Assert.ThrowsAsync<IOException>(() => RunningServer.StartAsync(new Dictionary<string, string?> { ["DataProtection:CertificateFile"] = bad }));
        Assert.Contains("not-a-certificate.pfx", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Dictionary<string, string?> Certificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=skillscope key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        string file = Path.Combine(_folder, "keyring.pfx"), passwordFile = Path.Combine(_folder, "keyring.password");
        File.WriteAllBytes(file, certificate.Export(X509ContentType.Pkcs12, "correct horse"));
        File.WriteAllText(passwordFile, "correct horse\n");
        return new Dictionary<string, string?> { ["DataProtection:CertificateFile"] = file, ["DataProtection:CertificatePasswordFile"] = passwordFile };
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
