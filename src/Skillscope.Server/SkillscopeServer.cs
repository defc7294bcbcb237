using System.Diagnostics.Metrics;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Dashboard;
using Skillscope.Server.Endpoints;
using Skillscope.Server.Hosting;
using Skillscope.Server.Http;
using Skillscope.Server.Telemetry;
using Skillscope.Server.Security;
using Skillscope.Storage;

namespace Skillscope.Server;

/// <summary>Builds the HTTP host: API, authentication, rate limits, health, OpenAPI, JSON logs.</summary>
public static class SkillscopeServer
{
    /// <summary>Request bodies above this are refused with 413 (model uploads have their own, larger limit).</summary>
    public const long MaxRequestBytes = 4L << 20;

    /// <summary>
    /// Creates the application over an opened, migrated store; the caller runs it. <paramref name="configure"/>
    /// runs first, so configuration it adds (e.g. <c>RateLimit:PermitsPerSecond</c>) is seen.
    /// </summary>
    public static WebApplication Create(ServerOptions options, SqlRegistryStore store, string[]? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [], ContentRootPath = AppContext.BaseDirectory });

        // Settings kept with the data (e.g. RateLimit), below environment variables and the command line.
        var settings = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = Path.GetFullPath(Path.Combine(options.DataDirectory, ServerOptions.SettingsFile)),
            Optional = true,
            ReloadOnChange = false,
        };
        settings.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, settings);
        configure?.Invoke(builder);
        builder.Logging.ClearProviders();

        // Framework chatter per request costs throughput and says little; warnings and our own events stay.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        // The key ring is stored unencrypted beside the students' data in the same database, whose access
        // already reaches everything the keys protect; the warning at every new key says nothing new.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        builder.Logging.AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<IRegistryStore>(store);
        builder.Services.AddSingleton<IFeatureStore>(store);
        builder.Services.AddSingleton(provider => new ModelRegistry(provider.GetRequiredService<IRegistryStore>(), options.ModelStoreDirectory));
        builder.Services.AddSingleton(provider => new ModelHost(provider.GetRequiredService<IRegistryStore>(), options.ModelStoreDirectory, provider.GetRequiredService<IMeterFactory>()));
        builder.Services.AddSingleton(provider => new AssessmentServices(options, store, configuration: builder.Configuration, meters: provider.GetRequiredService<IMeterFactory>()));
        builder.Services.AddSingleton(provider => provider.GetRequiredService<AssessmentServices>().Inference);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(NightlySchedule.From(builder.Configuration));
        var crm = builder.Configuration.GetSection(CrmContractOptions.Section).Get<CrmContractOptions>() ?? new CrmContractOptions();
        if (crm.Enabled)
        {
            if (crm.Problem() is { } crmProblem)
            {
                throw new FormatException(crmProblem);
            }

            builder.Services.AddCors(cors => cors.AddPolicy(CrmContractEndpoints.CorsPolicy, policy => policy
                .WithOrigins(crm.AllowedOrigins).WithMethods("GET", "POST").WithHeaders("Authorization", "Content-Type", RequestIds.Header).WithExposedHeaders(RequestIds.Header)));
        }

        builder.Services.AddSingleton<AssessmentJobWorker>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<AssessmentJobWorker>());
        builder.Services.AddHostedService<CatalogRefresher>();
        builder.Services.AddHostedService<ClusterChangeListener>();
        builder.Services.AddHostedService<RetentionWorker>();
        builder.Services.AddHostedService<IdleMemoryTrimmer>();
        builder.Services.AddSingleton<ServerMetrics>();
        builder.AddTelemetry();
        // Bounded: every bearer token presented, valid or not, takes an entry for its second.
        // Cookies and antiforgery tokens are protected with a key ring every replica on the database shares.
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("skillscope");
        if (KeyRingCertificate.Load(builder.Configuration) is { } keyRingCertificate)
        {
            dataProtection.ProtectKeysWithCertificate(keyRingCertificate);
        }

        builder.Services.Configure<KeyManagementOptions>(keys => keys.XmlRepository = new DatabaseKeyRepository(store.DataProtectionKeys));
        builder.Services.AddSingleton<KnownApiKeys>();
        builder.Services.AddSingleton<ApiKeyUsage>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<ApiKeyUsage>());
        builder.Services.AddMemoryCache(cache => cache.SizeLimit = ApiKeyAuthenticationHandler.CacheEntries);
        builder.Services.AddProblemDetails();

        // The framework's JSON (problem details, and the OpenAPI schemas' property names) as the API writes its own.
        // Numbers are numbers: no handler binds a body, so the schemas need not admit "12" for 12.
        builder.Services.ConfigureHttpJsonOptions(json => JsonDefaults.Apply(json.SerializerOptions).NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        builder.Services.AddOpenApi(OpenApiDescription.Configure);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        Roles.AddPolicies(builder.Services.AddAuthorizationBuilder());
        AddRateLimits(builder);
        builder.AddDashboard();

        var app = builder.Build();
        app.UseConfiguredProxies();
        app.Use(SecurityHeaders.Middleware);
        app.Use(RequestIds.Middleware);
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
        app.UseStatusCodePages(async pages =>
        {
            var context = pages.HttpContext;
            int status = context.Response.StatusCode;
            if (DashboardSetup.IsPage(context.Request))
            {
                await DashboardSetup.WriteStatusPageAsync(context).ConfigureAwait(false);
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
        if (crm.Enabled)
        {
            // Only where a route can use it: no other request pays for the CORS middleware.
            app.UseCors();
        }
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapOpenApi("/openapi/{documentName}.json");
        OpenApiDescription.MapBrowsableDocs(app);
        HealthEndpoints.Map(app);
        PredictEndpoint.Map(app);
        ModelEndpoints.Map(app);
        FeatureEndpoints.Map(app);
        SkillEndpoints.Map(app);
        StudentEndpoints.Map(app);
        FusionEndpoints.Map(app);
        ImportEndpoints.Map(app);
        JobEndpoints.Map(app);
        KeyEndpoints.Map(app);
        if (crm.Enabled)
        {
            CrmContractEndpoints.Map(app, crm);
        }

        app.MapDashboard();
        app.MapPrometheusScrapingEndpoint("/metrics").WithTags("Health").WithSummary("Prometheus text exposition of every instrument");
        app.MapGet("/api/v1/metrics/summary", (MetricsSummary summary) => Results.Json(new MetricsSummaryResponse(summary.Collect()), JsonDefaults.Options))
            .RequireAuthorization(Roles.AdminPolicy).WithTags("Health").Answers<MetricsSummaryResponse>("Skillscope's own metrics as JSON: totals, or count, sum and mean");

        // An invalid fusion weights file or reasoning setting (e.g. Reasoning:Mode=required without a key)
        // stops the start here, with its reason, rather than at the first assessment.
        _ = app.Services.GetRequiredService<AssessmentServices>();
        return app;
    }

    // Routing has run: every spelling that reaches the sign-in endpoint is that endpoint here.
    private static bool IsSignIn(HttpContext context) => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText == "/login";

    private static RateLimitPartition<string> Bucket(HttpContext context, IConnectionMultiplexer? redis, string key, TokenBucketRateLimiterOptions options) =>
        redis is null
            ? RateLimitPartition.GetTokenBucketLimiter(key, _ => options)
            : RateLimitPartition.Get(key, partition => new RedisTokenBucket(redis.GetDatabase(), partition, options,
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Skillscope.RateLimits")));

    private static void AddRateLimits(WebApplicationBuilder builder)
    {
        int perSecond = builder.Configuration.GetValue("RateLimit:PermitsPerSecond", 500);
        int burst = builder.Configuration.GetValue("RateLimit:Burst", perSecond * 2);

        // With Redis, a key's bucket (and an address's sign-in tries) is one for every replica; without it,
        // each replica keeps its own.
        IConnectionMultiplexer? redis = null;
        if (builder.Configuration.GetValue<string>("Redis:Configuration") is { Length: > 0 } redisConfiguration)
        {
            // Started even while Redis is away (it connects when it can; buckets fall back meanwhile).
            var redisOptions = ConfigurationOptions.Parse(redisConfiguration);
            redisOptions.AbortOnConnectFail = false;

            // A request must not wait for Redis: while it is away, commands fail at once (not after the
            // default 5 s in a backlog) and the replica's own bucket decides.
            redisOptions.BacklogPolicy = BacklogPolicy.FailFast;
            redisOptions.AsyncTimeout = Math.Min(redisOptions.AsyncTimeout, 250);
            redisOptions.ConnectTimeout = Math.Min(redisOptions.ConnectTimeout, 1000);
            redis = ConnectionMultiplexer.Connect(redisOptions);
            builder.Services.AddSingleton(_ => redis);
        }

        builder.Services.AddRateLimiter(limits =>
        {
            // Every API call counts against its key's bucket, the CRM contract's too (health, metrics and the OpenAPI document do not).
            limits.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                // By the endpoint the request reached, not its path: "/LOGIN" and "/login/" reach it too.
                HttpMethods.IsPost(context.Request.Method) && IsSignIn(context)
                    // Password guessing: ten tries per minute per address (a burst of ten, one more every six seconds).
                    ? Bucket(context, redis, "login:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = 10, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(6), QueueLimit = 0, AutoReplenishment = true,
                    })
                : !context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && !context.Request.Path.StartsWithSegments("/ai", StringComparison.Ordinal)
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : Bucket(context, redis,
                        context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                        new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = Math.Max(1, burst),
                            TokensPerPeriod = Math.Max(1, perSecond),
                            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                            QueueLimit = 0,
                            AutoReplenishment = true,
                        }));
            limits.OnRejected = async (rejected, cancellation) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Of(context, 429, "rate_limited", "this API key sent too many requests; retry after the time in Retry-After").ExecuteAsync(context).ConfigureAwait(false);
            };
        });
    }
}
