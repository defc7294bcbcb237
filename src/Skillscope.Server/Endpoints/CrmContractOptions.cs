using Skillscope.Scoring.Packages;

namespace Skillscope.Server.Endpoints;

/// <summary>The <c>Crm</c> settings: whether the CRM's contract routes exist, which model they serve, and which browser origins may call them.</summary>
public sealed class CrmContractOptions
{
    public const string Section = "Crm";

    /// <summary>Maps <c>/ai/advanced-ml/*</c> (off by default).</summary>
    public bool Enabled { get; set; }

    /// <summary>The registered model the routes score with (its production version, or its split).</summary>
    public string Model { get; set; } = "lead_conversion";

    /// <summary>Origins of the CRM's front end (scheme, host and port, e.g. <c>https://crm.example.org</c>) allowed to call from a browser.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>The first setting that cannot work, named; null when all can.</summary>
    public string? Problem()
    {
        try
        {
            ModelMetadata.CheckName(Model);
        }
        catch (PackageException exception)
        {
            return $"Crm:Model: {exception.Message}";
        }

        foreach (string origin in AllowedOrigins)
        {
            // What a browser sends as Origin: scheme, host and port, nothing else (no path, user, query or fragment).
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/" || origin.EndsWith('/')
                || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
            {
                return $"Crm:AllowedOrigins: \"{origin}\" is not an origin such as https://crm.example.org (scheme, host and port only)";
            }
        }

        return null;
    }
}
