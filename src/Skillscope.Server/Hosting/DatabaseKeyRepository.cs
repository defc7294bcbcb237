using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Skillscope.Storage;

namespace Skillscope.Server.Hosting;

/// <summary>
/// Keeps ASP.NET Core's data-protection key ring in the database instead of this machine's profile, so
/// every replica on the database signs and reads the same dashboard cookies and antiforgery tokens.
/// </summary>
internal sealed class DatabaseKeyRepository(SqlDataProtectionKeys keys) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => keys.All().Select(xml => XElement.Parse(xml)).ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        keys.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }
}
