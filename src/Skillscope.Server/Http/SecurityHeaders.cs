namespace Skillscope.Server.Http;

/// <summary>
/// The headers every answer carries, API and dashboard alike. The policy allows only this site's own
/// scripts, styles and images (the dashboard has no inline ones), no framing (clickjacking), no plug-ins,
/// and forms posting only here; browsers must not guess content types, and send no referrer to other
/// sites. HSTS only on HTTPS (directly or as the trusted proxy says), where it cannot lock out plain HTTP
/// on a single machine.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static Task Middleware(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        if (context.Request.Path.StartsWithSegments(OpenApiDescription.DocsPath, StringComparison.OrdinalIgnoreCase))
        {
            // The API documentation (Scalar) starts with an inline script, allowed by this answer's nonce only;
            // it styles itself at run time. It shares this origin with the dashboard's cookie, so no other
            // inline script may run, and it loads and connects to nothing but this site.
            headers.ContentSecurityPolicy = DocsPolicy(null);
            context.Response.OnStarting(static state =>
            {
                var answering = (HttpContext)state;
                if (answering.Items[Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey] is string nonce)
                {
                    answering.Response.Headers.ContentSecurityPolicy = DocsPolicy(nonce);
                }

                return Task.CompletedTask;
            }, context);
        }
        else
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }

        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        // For browsers that predate frame-ancestors; set first, so antiforgery keeps it.
        headers.XFrameOptions = "DENY";
        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = "max-age=31536000";
        }

        return next(context);
    }

    private static string DocsPolicy(string? nonce) =>
        $"default-src 'self'; script-src 'self'{(nonce is null ? "" : $" 'nonce-{nonce}'")}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}
