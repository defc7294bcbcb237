using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Skillscope.Server.Hosting;
using Skillscope.Storage;

namespace Skillscope.Server.Security;

/// <summary>API keys (bearer authentication, lookups cached briefly, usage counted), roles, and the key ring every replica shares.</summary>
internal static class ApiSecurity
{
    public static void AddApiSecurity(this WebApplicationBuilder builder, SqlRegistryStore store)
    {
        var services = builder.Services;

        // Cookies and antiforgery tokens are protected with a key ring every replica on the database shares.
        var dataProtection = services.AddDataProtection().SetApplicationName("skillscope");
        if (KeyRingCertificate.Load(builder.Configuration) is { } keyRingCertificate)
        {
            dataProtection.ProtectKeysWithCertificate(keyRingCertificate);
        }

        services.Configure<KeyManagementOptions>(keys => keys.XmlRepository = new DatabaseKeyRepository(store.DataProtectionKeys));
        services.AddSettings<ApiKeyOptions>(ApiKeyOptions.Section);
        services.AddSingleton<KnownApiKeys>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddHostedService(provider => provider.GetRequiredService<ApiKeyUsage>());

        // Bounded: every bearer token presented, valid or not, takes an entry for its second.
        services.AddMemoryCache(cache => cache.SizeLimit = ApiKeyAuthenticationHandler.CacheEntries);
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        Roles.AddPolicies(services.AddAuthorizationBuilder());
    }
}
