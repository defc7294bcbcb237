using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Reasoning;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
using Skillscope.Assessment.Training;
using Skillscope.Cli.Commands;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Serving;
using Skillscope.Server;
using Skillscope.Server.Dashboard;
using Skillscope.Server.Hosting;
using Skillscope.Server.Security;

namespace Skillscope.Cli.Demo;

/// <summary>
/// <c>skillscope demo</c>: the whole system on a generated district — generate, import, extract
/// features, train and evaluate the seven skill models, register and promote them, assess every
/// student, then serve the API with a fresh demo key.
/// </summary>
internal static class SkillsDemo
{
    // urls: where to listen (as serve --urls); url: where a browser on this machine reaches it (BrowsableAddress).
    public static async Task<int> RunAsync(int students, int seed, string urls, string url, bool serve, ServerOptions options, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var catalog = SkillCatalog.Default;
        string district = Path.Combine(options.DataDirectory, "district");
        var generator = new DistrictGenerator(seed, catalog, DistrictGenerator.RecentTermStart(DateTime.UtcNow));
        var roster = generator.Roster(students);
        var (utterances, events) = DistrictWriter.Write(generator, roster, district, catalog.Skills);
        Step(output, clock, $"generated a district of {students:N0} students in {roster.Schools.Count} schools and {roster.Classes.Count} classes " +
            $"({utterances:N0} utterances, {events:N0} game events; seed {seed}) → {district}");

        using var store = await DataOptions.OpenStoreAsync(options);
        using (var services = AssessmentServices.Open(options, store, catalog))
        {
            var imported = await services.GetRequiredService<EvidenceImporter>().ImportDirectoryAsync(district);
            Step(output, clock, $"imported: {imported.Sum(r => r.Written):N0} rows written, {imported.Sum(r => r.Unchanged):N0} already stored, {imported.Sum(r => r.Rejected):N0} rejected");

            var examples = await SkillTrainingSet.FromStoreAsync(store.Assessments.Inputs, catalog, LatentFile.Read(Path.Combine(district, "latent.csv"), catalog));
            Step(output, clock, $"features extracted for {examples.Count:N0} rated students (mean coverage {examples.Average(e => e.Features.Coverage):P0}); training seven skill models");
            await SkillModelPublisher.PublishAsync(examples, catalog, seed, options, store, null, output);
            Step(output, clock, "models registered and promoted");

            // The night is counted for drift against the training data, as `serve` and `assess` count theirs.
            var monitor = new ModelMonitor(store.Monitoring, ModelMonitor.DefaultReferenceRows);
            using var host = new ModelHost(store, options.ModelStoreDirectory, monitor: monitor);
            await host.RefreshAsync(force: true);
            await monitor.FlushAsync();
            var runner = new AssessmentJobRunner(store.Assessments.Jobs, store.Assessments.Inputs, services.GetRequiredService<StudentAssessor>(), () => host.Catalog);
            var job = await runner.CreateAsync(JobKind.Full, DataOptions.Actor);
            var done = (await runner.RunToEndAsync(job.Id))!;
            await monitor.FlushAsync();
            Step(output, clock, $"assessed {done.Processed:N0} students ({done.Throughput:N0}/s; {done.Failed:N0} failed) in job {done.Id}");
            var feedback = services.GetRequiredService<LlmFeedbackWriter>();
            Step(output, clock, feedback.Options.DisabledReason is { } reason
                ? $"feedback: template text ({reason}; set Reasoning__Endpoint and Reasoning__ApiKey for LLM feedback, see docs/REASONING.md)"
                : $"feedback: {feedback.Metrics.WrittenCount:N0} texts written by {feedback.Options.Model}, {feedback.Metrics.FallbackCount:N0} by the template" +
                  (feedback.Metrics.FallbackCount == 0 ? "" : " (" + string.Join(", ", feedback.Metrics.FallbacksByReason.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value:N0}")) + ")") +
                  (feedback.Metrics.FallbacksByReason.ContainsKey(FeedbackReasons.RateLimited) ? $"; Reasoning__CallsPerMinute (now {feedback.Options.CallsPerMinute}) raises the budget" : ""));
        }

        var (key, secret) = await ApiKeys.CreateAsync(store, Roles.Admin, "demo", DataOptions.Actor);
        var teacher = roster.Teachers[0];
        var teacherClasses = roster.Classes.Where(c => c.TeacherId == teacher.Id).Select(c => c.Name).ToList();
        string teacherPassword = await DashboardAccounts.CreateAsync(store.Assessments.Users, "teacher", teacher.Name, Roles.Teacher, teacher.Id);
        string adminPassword = await DashboardAccounts.CreateAsync(store.Assessments.Users, "admin", "Administrator", Roles.Admin, null);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready in {clock.Elapsed.TotalSeconds:F0} s. Data: {Path.GetFullPath(options.DataDirectory)}"));
        output.WriteLine($"  evaluation report: {Path.GetFullPath(Path.Combine(options.DataDirectory, "reports", "skills.html"))}");
        output.WriteLine($"  try: curl -H \"Authorization: Bearer $KEY\" {url}/api/v1/students?q=a");
        output.WriteLine($"       curl -X POST -H \"Authorization: Bearer $KEY\" {url}/api/v1/students/{roster.Students[0].Id}/assess");
        output.WriteLine($"  dashboard: {url}/  teacher login: teacher / {teacherPassword} ({teacher.Name}: {string.Join(", ", teacherClasses)}); admin login: admin / {adminPassword}");
        output.WriteLine($"  API: {url}  (documentation: {url}/docs; OpenAPI: {url}/openapi/v1.json)");
        output.WriteLine($"demo admin key {key.Id} (shown once):");
        output.WriteLine(secret);
        if (!serve)
        {
            return 0;
        }

        var app = SkillscopeServer.Create(options, store, ["--urls", urls]);
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// The first of <paramref name="urls"/> as a browser on this machine reaches it (a wildcard host such as
    /// 0.0.0.0, [::], * or + is 127.0.0.1), or null when it is not an http(s) address.
    /// </summary>
    public static string? BrowsableAddress(string urls)
    {
        string first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        foreach (string wildcard in new[] { "://0.0.0.0", "://[::]", "://*", "://+" })
        {
            first = first.Replace(wildcard, "://127.0.0.1", StringComparison.Ordinal);
        }

        return Uri.TryCreate(first, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : null;
    }

    private static void Step(TextWriter output, Stopwatch clock, string message) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,5:F1} s] {message}"));
}
