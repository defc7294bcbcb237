using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Skillscope.Server.Hosting;

/// <summary>
/// The certificate that encrypts the data-protection key ring at rest (<c>DataProtection:CertificateFile</c>,
/// a PKCS#12 file with its private key, and <c>DataProtection:CertificatePasswordFile</c>): the ring lives in
/// the database every replica shares, and without it whoever reads the database or a backup could forge
/// cookies. Every replica mounts the same certificate.
/// </summary>
internal static class KeyRingCertificate
{
    /// <summary>The configured certificate, or null when none is configured.</summary>
    /// <exception cref="IOException">A file cannot be read, or the certificate is unusable; the message names the file, never a password.</exception>
    public static X509Certificate2? Load(IConfiguration configuration)
    {
        var section = configuration.GetSection("DataProtection");
        if (section["CertificateFile"] is not { Length: > 0 } file)
        {
            return null;
        }

        string? password = null;
        if (section["CertificatePasswordFile"] is { Length: > 0 } passwordFile)
        {
            try
            {
                password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"DataProtection:CertificatePasswordFile \"{passwordFile}\" cannot be read: {exception.Message}", exception);
            }
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(file, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new IOException($"DataProtection:CertificateFile \"{file}\" cannot be loaded as a PKCS#12 certificate with its private key: {exception.Message}", exception);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            certificate.Dispose();
            throw new IOException($"DataProtection:CertificateFile \"{file}\" holds no RSA private key: the key ring's keys could be written but never read back");
        }

        return certificate;
    }
}
