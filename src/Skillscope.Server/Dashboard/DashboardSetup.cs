using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Hosting;
using Skillscope.Server.Security;

namespace Skillscope.Server.Dashboard;

/// <summary>
/// The teacher dashboard in the same host: server-rendered Razor components behind cookie sign-in
/// (the API keeps its bearer keys), sign-in and sign-out form posts protected by antiforgery tokens.
/// </summary>
public static class DashboardSetup
{
    public const string Scheme = "Dashboard";

    /// <summary>Policy of every dashboard page: a signed-in teacher or admin.</summary>
    public const string Policy = "dashboard";

    /// <summary>Policy of the pages that change what every tenant shares (models, weights, jobs, monitoring, audit): an admin of the whole system.</summary>
    public const string AdminPolicy = "dashboard-admin";

    /// <summary>Policy of the admin pages about students (accuracy feedback): any admin, a district's seeing only that district.</summary>
    public const string AnyAdminPolicy = "dashboard-any-admin";

    /// <summary>Policy of the pages of aggregates only (the cohorts): admins and analysts.</summary>
    public const string CohortsPolicy = "dashboard-cohorts";

    /// <summary>Policy of what every signed-in account may do: read the glossary, sign out.</summary>
    public const string AnyonePolicy = "dashboard-anyone";

    public static void AddDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSettings<DashboardOptions>(DashboardOptions.Section);
        builder.Services.AddAuthentication()
            .AddCookie(Scheme, cookie =>
            {
                cookie.Cookie.Name = "skillscope.dashboard";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.LoginPath = "/login";
                cookie.LogoutPath = "/logout";
                cookie.Events.OnRedirectToAccessDenied = denied =>
                {
                    // Signed in but not allowed (a teacher on an admin page): a plain 403, not a sign-in loop.
                    denied.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = async validating =>
                {
                    // A signed cookie is not enough: its session must still be on (see DashboardSessions).
                    var sessions = validating.HttpContext.RequestServices.GetRequiredService<DashboardSessions>();
                    if (validating.Principal is null || !await sessions.IsCurrentAsync(validating.Principal, validating.HttpContext.RequestAborted).ConfigureAwait(false))
                    {
                        validating.RejectPrincipal();
                        await validating.HttpContext.SignOutAsync(Scheme).ConfigureAwait(false);
                    }
                };
            });
        builder.Services.AddSingleton<DashboardSessions>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Teacher, Roles.Admin))
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Admin).RequireAssertion(c => ScopeClaims.IsUnbound(c.User)))
            .AddPolicy(AnyAdminPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Admin))
            .AddPolicy(CohortsPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Admin, Roles.Analyst))
            .AddPolicy(AnyonePolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Teacher, Roles.Admin, Roles.Analyst));
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
    }

    public static void MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorComponents<Components.App>();
        DashboardAssets.Map(app);
        // The dashboard's cookie is not the default scheme (the API's keys are): the root asks for it itself.
        app.MapGet("/", async context =>
        {
            var signedIn = await context.AuthenticateAsync(Scheme).ConfigureAwait(false);
            context.Response.Redirect(signedIn.Principal is { } user ? HomeOf(user) : "/students");
        }).ExcludeFromDescription();
        app.MapPost("/login", SignInAsync).ExcludeFromDescription();
        // Posts without fields still bind the form: binding it is what checks the antiforgery token.
        app.MapPost("/logout", async (HttpContext context, IFormCollection form, DashboardSessions sessions) =>
        {
            await sessions.EndAsync(context.User, context.RequestAborted).ConfigureAwait(false);
            await context.SignOutAsync(Scheme).ConfigureAwait(false);
            return Results.Redirect("/login");
        }).RequireAuthorization(AnyonePolicy).ExcludeFromDescription();
        app.MapPost("/logout/everywhere", async (HttpContext context, IFormCollection form, DashboardSessions sessions, IUserStore users, IAuditLog audit, TimeProvider time) =>
        {
            var viewer = DashboardViewer.Of(context.User);
            await DashboardAccounts.SignOutEverywhereAsync(users, viewer.Username, context.RequestAborted).ConfigureAwait(false);
            await sessions.EndAsync(context.User, context.RequestAborted).ConfigureAwait(false);
            await AccessAudit.RecordAsync(audit, time, viewer.Actor, "dashboard.logout_everywhere", "dashboard", context.RequestAborted).ConfigureAwait(false);
            await context.SignOutAsync(Scheme).ConfigureAwait(false);
            return Results.Redirect("/login");
        }).RequireAuthorization(AnyonePolicy).ExcludeFromDescription();
        Reports.ReportEndpoints.MapPages(app);
        app.MapGet("/classes/{id}/export.csv", ExportClassAsync).RequireAuthorization(Policy).ExcludeFromDescription();
        app.MapPost("/students/{id}/accuracy", RecordAccuracyAsync).RequireAuthorization(Policy).ExcludeFromDescription();
        app.MapPost("/admin/models/{name}/promote", (string name, [FromForm] string? version, HttpContext context, ModelRegistry registry, ModelHost host) =>
            ChangeModelAsync(context, host, async actor =>
            {
                var alias = await registry.PromoteAsync(name, version ?? "", actor, cancellation: context.RequestAborted).ConfigureAwait(false);
                return $"{alias.Name} {alias.Version} is now in production (was {alias.PreviousVersion ?? "none"}).";
            })).RequireAuthorization(AdminPolicy).ExcludeFromDescription();
        app.MapPost("/admin/models/{name}/rollback", (string name, IFormCollection form, HttpContext context, ModelRegistry registry, ModelHost host) =>
            ChangeModelAsync(context, host, async actor =>
            {
                // From the version the page showed: a page sent twice, or read before another change, changes nothing.
                var alias = await registry.RollbackAsync(name, actor, from: form["from"].FirstOrDefault(), cancellation: context.RequestAborted).ConfigureAwait(false);
                return $"{alias.Name} production rolled back to {alias.Version}.";
            })).RequireAuthorization(AdminPolicy).ExcludeFromDescription();
        app.MapPost("/admin/models/{name}/split", (string name, IFormCollection form, HttpContext context, ModelRegistry registry, ModelHost host) =>
            ChangeModelAsync(context, host, async actor =>
            {
                var split = await registry.SplitAsync(name, SplitShares(form), actor, cancellation: context.RequestAborted).ConfigureAwait(false);
                return split.Shares.Count == 0 ? $"{name}: the traffic split is removed; production serves every request."
                    : $"{name}: traffic split {string.Join(", ", split.Shares.Select(s => $"{s.Version} {s.Percent}%"))}.";
            })).RequireAuthorization(AdminPolicy).ExcludeFromDescription();
        app.MapPost("/admin/models/{name}/approve", (string name, IFormCollection form, HttpContext context, Learning.RolloutAdvancer rollouts, ModelHost host) =>
            ChangeModelAsync(context, host, async actor =>
                await rollouts.ApproveAsync(name, actor, context.RequestAborted).ConfigureAwait(false) is { } promoted
                    ? $"{promoted.Model} {promoted.Version} is now in production (approved)."
                    : $"{name} has no challenger awaiting approval, or its canary or production changed meanwhile.")).RequireAuthorization(AdminPolicy).ExcludeFromDescription();
        app.MapPost("/admin/keys/{id}/revoke", async (string id, IFormCollection form, HttpContext context, IRegistryStore registry) =>
        {
            bool revoked = await ApiKeys.RevokeAsync(registry, id, DashboardViewer.Of(context.User).Actor, context.RequestAborted).ConfigureAwait(false);
            return Results.Redirect("/admin/keys?done=" + Uri.EscapeDataString(revoked ? $"Key {id} is revoked; every replica refuses it within a second." : $"Key {id} was not active."));
        }).RequireAuthorization(AdminPolicy).ExcludeFromDescription();
        app.MapPost("/admin/jobs", async (HttpContext context, [FromForm] string? kind, AssessmentJobWorker worker) =>
        {
            if (kind is not (JobKind.Full or JobKind.Incremental))
            {
                return Results.Redirect("/admin/jobs");
            }

            var job = await worker.Runner.CreateAsync(kind, DashboardViewer.Of(context.User).Actor, cancellation: context.RequestAborted).ConfigureAwait(false);
            return Results.Redirect("/admin/jobs?queued=" + Uri.EscapeDataString(job.Id));
        }).RequireAuthorization(AdminPolicy).ExcludeFromDescription();
        app.MapGet("/admin/accuracy.csv", async (HttpContext context, IAccuracyFeedbackStore accuracy, IAuditLog audit, TimeProvider time, CancellationToken cancellation) =>
        {
            var viewer = DashboardViewer.Of(context.User);
            var feedback = await accuracy.ListAccuracyFeedbackAsync(100_000, viewer.Scope.DistrictId, cancellation).ConfigureAwait(false);
            await AccessAudit.RecordAsync(audit, time, viewer.Actor, "accuracy.exported", "accuracy_feedback", cancellation,
                AccessAudit.Ids(feedback.Select(f => f.StudentId).Distinct(StringComparer.Ordinal))).ConfigureAwait(false);
            return Results.File(System.Text.Encoding.UTF8.GetBytes(DashboardData.AccuracyCsv(feedback)), "text/csv; charset=utf-8", "accuracy-feedback.csv");
        }).RequireAuthorization(AnyAdminPolicy).ExcludeFromDescription();
    }

    /// <summary>A registry change from an admin page: done, the served catalog refreshed, and the page shown again with what happened.</summary>
    private static async Task<IResult> ChangeModelAsync(HttpContext context, ModelHost host, Func<string, Task<string>> change)
    {
        try
        {
            string done = await change(DashboardViewer.Of(context.User).Actor).ConfigureAwait(false);
            await host.RefreshAsync(cancellation: context.RequestAborted).ConfigureAwait(false);
            return Results.Redirect("/admin/models?done=" + Uri.EscapeDataString(done));
        }
        catch (RegistryException exception)
        {
            return Results.Redirect("/admin/models?error=" + Uri.EscapeDataString(exception.Message));
        }
        catch (Skillscope.Scoring.Packages.PackageException exception)
        {
            // A name or version that is not one (typed into a crafted form): said on the page, as the API says it.
            return Results.Redirect("/admin/models?error=" + Uri.EscapeDataString(exception.Message));
        }
    }

    /// <summary>The split form's (version, percent) pairs; versions at 0 are left out, so all at 0 removes the split.</summary>
    private static List<SplitShare> SplitShares(IFormCollection form)
    {
        var versions = form["version"];
        var percents = form["percent"];
        if (versions.Count != percents.Count)
        {
            throw new RegistryException("invalid_split", "every version needs a percent");
        }

        var shares = new List<SplitShare>();
        for (int i = 0; i < versions.Count; i++)
        {
            string text = percents[i]?.Trim() ?? "";
            if (!int.TryParse(text.Length == 0 ? "0" : text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int percent))
            {
                throw new RegistryException("invalid_split", $"the share of {versions[i]} must be a whole percent from 0 to 100, not \"{text}\"");
            }

            if (percent > 0)
            {
                shares.Add(new SplitShare(versions[i] ?? "", percent));
            }
        }

        return shares;
    }

    private static async Task<IResult> ExportClassAsync(HttpContext context, string id, IRosterDirectory roster, IAuditLog audit, SkillCatalog catalog, TimeProvider time)
    {
        var viewer = DashboardViewer.Of(context.User);
        var found = await DashboardData.VisibleClassAsync(roster, viewer, id, context.RequestAborted).ConfigureAwait(false);
        if (found is null)
        {
            return Results.NotFound();
        }

        await AccessAudit.RecordAsync(audit, time, viewer.Actor, "class.exported", found.Id, context.RequestAborted).ConfigureAwait(false);
        var students = await roster.ClassScoresAsync(found.Id, context.RequestAborted).ConfigureAwait(false);
        return Results.File(System.Text.Encoding.UTF8.GetBytes(DashboardData.ClassCsv(students, catalog.Skills)), "text/csv; charset=utf-8", $"class-{found.Id}.csv");
    }

    private static async Task<IResult> RecordAccuracyAsync(HttpContext context, string id, [FromForm] string? verdict, [FromForm(Name = "assessment_id")] long? assessmentId,
        [FromForm] string? comment, IRosterDirectory roster, IAssessmentRecords records, IAccuracyFeedbackStore accuracy, IAuditLog audit, SkillCatalog catalog, TimeProvider time)
    {
        var viewer = DashboardViewer.Of(context.User);
        var student = await roster.GetStudentAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (student is null || !viewer.MaySee(student))
        {
            return Results.NotFound();
        }

        string back = $"/students/{Uri.EscapeDataString(student.Id)}";
        var skillsOff = context.Request.Form["skills_off"].Where(s => s is not null).Select(s => s!).Distinct(StringComparer.Ordinal).ToList();
        var history = await records.HistoryAsync(student.Id, 200, context.RequestAborted).ConfigureAwait(false);
        if (verdict is null || !AccuracyFeedback.Verdicts.Contains(verdict) || assessmentId is null || history.All(a => a.Id != assessmentId)
            || skillsOff.Any(s => catalog.IndexOf(s) < 0) || (comment?.Length ?? 0) > AccuracyFeedback.MaxComment)
        {
            return Results.Redirect(back + "?accuracy=invalid#accuracy");
        }

        var saved = await accuracy.AddAccuracyFeedbackAsync(new AccuracyFeedback(0, assessmentId.Value, student.Id, viewer.Username, time.GetUtcNow().UtcDateTime, verdict,
            skillsOff, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim()), context.RequestAborted).ConfigureAwait(false);
        await AccessAudit.RecordAsync(audit, time, viewer.Actor, "accuracy.recorded", student.Id, context.RequestAborted,
            saved.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        return Results.Redirect(back + "?accuracy=thanks#accuracy");
    }

    private static async Task<IResult> SignInAsync(HttpContext context, [FromForm] string? username, [FromForm] string? password, [FromForm(Name = "return_url")] string? returnUrl,
        IUserStore users, IAuditLog audit, DashboardSessions sessions, TimeProvider time)
    {
        var (user, known) = await DashboardAccounts.VerifyAsync(users, username ?? "", password ?? "", context.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            // Under the username only when it is one: what was typed may be a password in the wrong box.
            await AccessAudit.RecordAsync(audit, time, known ? $"user:{username}" : "user:(unknown)", "dashboard.login_failed", "dashboard", context.RequestAborted).ConfigureAwait(false);
            return Results.Redirect("/login?failed=1" + (IsLocal(returnUrl) ? "&ReturnUrl=" + Uri.EscapeDataString(returnUrl!) : ""));
        }

        await context.SignInAsync(Scheme, await sessions.StartAsync(user, Scheme, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
        await AccessAudit.RecordAsync(audit, time, $"user:{user.Username}", "dashboard.login", "dashboard", context.RequestAborted).ConfigureAwait(false);
        return Results.Redirect(IsLocal(returnUrl) && (user.Role != Roles.Analyst || IsAnalystPage(returnUrl!)) ? returnUrl! : HomeOf(user.Role));
    }

    /// <summary>Where an account starts: an analyst, who sees no student, on the cohorts; everyone else on the students.</summary>
    public static string HomeOf(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return HomeOf(user.IsInRole(Roles.Analyst) ? Roles.Analyst : "");
    }

    private static string HomeOf(string role) => role == Roles.Analyst ? "/cohorts" : "/students";

    // The pages an analyst may open; a link to any other (a student's, shared before sign-in) starts them on the cohorts instead.
    private static bool IsAnalystPage(string url) =>
        url == "/cohorts" || url.StartsWith("/cohorts?", StringComparison.Ordinal) || url == "/glossary";

    /// <summary>Whether a request is for a dashboard page (a browser asking for HTML outside the API's paths).</summary>
    public static bool IsPage(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path;
        return !path.StartsWithSegments("/api", StringComparison.Ordinal) && !path.StartsWithSegments("/health", StringComparison.Ordinal)
            && !path.StartsWithSegments("/metrics", StringComparison.Ordinal) && !path.StartsWithSegments("/openapi", StringComparison.Ordinal)
            && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a request is a browser reading a dashboard page (GET or HEAD): what an error page is rendered for.</summary>
    public static bool IsPageRead(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && IsPage(request);
    }

    /// <summary>Where a browser's error status is rendered (re-executed, in its own scope, with the site's layout).</summary>
    public const string StatusPath = "/status/{0}";

    /// <summary>
    /// What the page for an error status says: one text for "does not exist" and "not yours", so a teacher
    /// cannot tell a student (or class) of another teacher from none at all.
    /// </summary>
    public static string StatusMessage(int status, string? originalPath, bool analyst = false)
    {
        var path = new PathString(originalPath ?? "");
        bool OneOf(string list) => path.StartsWithSegments(list, StringComparison.Ordinal) && path.Value!.Length > list.Length + 1;
        return status switch
        {
            StatusCodes.Status404NotFound when OneOf("/students") => "There is no student with this id in your classes.",
            StatusCodes.Status404NotFound when OneOf("/classes") => "There is no class with this id among your classes.",
            StatusCodes.Status404NotFound when OneOf("/schools") => "There is no school with this id among your classes' schools.",
            StatusCodes.Status404NotFound when path.StartsWithSegments("/admin/district", StringComparison.Ordinal) => "There is no district with this id in the roster.",
            StatusCodes.Status404NotFound => "There is no such page.",
            StatusCodes.Status403Forbidden when analyst => "Your account sees cohorts and their distributions only, never a student.",
            StatusCodes.Status403Forbidden when path.StartsWithSegments("/cohorts", StringComparison.Ordinal) => "This page is for administrators and analysts.",
            StatusCodes.Status400BadRequest when path.Value?.Contains("/report", StringComparison.Ordinal) == true => "A report is for the teacher (for=teacher) or for the family (for=family).",
            StatusCodes.Status403Forbidden => "This page is for administrators of the whole system.",
            _ => $"The request could not be completed (HTTP {status}).",
        };
    }

    // Only paths on this site: an open redirect would let a link send a teacher elsewhere after sign-in.
    // Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so "/<TAB>/evil" and
    // "/\evil" are "//evil", another site: any control character, white space or backslash is refused
    // (and CR/LF could not go into a Location header anyway).
    internal static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/' || url.StartsWith("//", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in url)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            {
                return false;
            }
        }

        return true;
    }
}
