using Microsoft.AspNetCore.Diagnostics;
using Skillscope.Server.Dashboard;
using Skillscope.Server.Hosting;
using Skillscope.Server.Telemetry;

namespace Skillscope.Server.Http;

/// <summary>
/// The middleware every request passes, in order: proxies, security headers, request ids, error pages for
/// browsers, routing, metrics, errors as problem details, database outages as 503, status pages, CORS (only with the CRM
/// contract), authentication, rate limits, authorization, antiforgery.
/// </summary>
internal static class HttpPipeline
{
    public static void UseSkillscopePipeline(this WebApplication app, bool cors)
    {
        app.UseConfiguredProxies();
        app.Use(SecurityHeaders.Middleware);
        app.Use(RequestIds.Middleware);

        // A browser's error status is answered with the error page in the site's layout: the request runs
        // again for it from here, routing included, in its own scope. Only reads: a form post that fails
        // (a student who is not there) gets the problem document, as a page cannot be posted to.
        app.UseWhen(context => DashboardSetup.IsPageRead(context.Request), pages => pages.UseStatusCodePagesWithReExecute(DashboardSetup.StatusPath, createScopeForStatusCodePages: true));
        app.UseRouting();
        app.Use(RequestMetrics.Middleware);
        app.UseExceptionHandler(error => error.Run(context =>
        {
            // Reaching here is a bug; the client still gets a problem document with its request id.
            var feature = context.Features.Get<IExceptionHandlerFeature>();
            ServerLog.UnhandledError(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Skillscope.Errors"),
                feature?.Error, context.Request.Path.Value);
            return Problems.Of(context, 500, "internal_error", "the server failed; the request id identifies it in the logs").ExecuteAsync(context);
        }));
        app.Use(DatabaseUnavailable.Middleware);
        // The API answers an error status with a problem document (a browser's page is left to the re-execution above).
        app.UseStatusCodePages(async pages =>
        {
            var context = pages.HttpContext;
            int status = context.Response.StatusCode;
            if (DashboardSetup.IsPageRead(context.Request))
            {
                return;
            }

            var (code, detail) = status switch
            {
                404 => ("not_found", "is not an endpoint of this API"),
                405 => ("method_not_allowed", "is not an endpoint of this API"),
                415 => ("unsupported_media_type", "does not take a body of this media type"),
                _ => ("http_" + status, "failed"),
            };
            await Problems.Of(context, status, code, $"{context.Request.Method} {context.Request.Path} {detail} (see /openapi/v1.json)").ExecuteAsync(context).ConfigureAwait(false);
        });
        if (cors)
        {
            // Only where a route can use it: no other request pays for the CORS middleware.
            app.UseCors();
        }

        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
    }
}
