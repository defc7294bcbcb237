using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Hosting;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope assess --all | --incremental</c>: a batch job over every student, or over those with
/// evidence newer than their last assessment. An unfinished job of the same kind (after a crash, or one
/// other machines are running) is joined where its commits ended instead of starting again.
/// </summary>
internal static class AssessCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var all = new Option<bool>("--all") { Description = "Assess every student" };
        var incremental = new Option<bool>("--incremental") { Description = "Assess students with new evidence since their last assessment" };
        var chunk = new Option<int>("--chunk") { Description = "Students per committed chunk", DefaultValueFactory = _ => 1_000 };
        var partition = new Option<int>("--partition") { Description = "Students per partition a worker leases (when this command creates the job)", DefaultValueFactory = _ => 5_000 };
        var command = new Command("assess", "Run a batch assessment job (resumes an interrupted one, or joins one another machine runs)") { all, incremental, chunk, partition };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(all) == parse.GetValue(incremental))
            {
                return CliFailure.Report(error, "pass exactly one of --all and --incremental");
            }

            if (parse.GetValue(chunk) is < 1 or > 100_000)
            {
                return CliFailure.Report(error, "--chunk must be between 1 and 100,000");
            }

            if (parse.GetValue(partition) is < 1 or > 10_000_000)
            {
                return CliFailure.Report(error, "--partition must be between 1 and 10,000,000");
            }

            var options = data.Read(parse);
            using var store = await DataOptions.OpenStoreAsync(options);
            using var services = AssessmentServices.Open(options, store);
            // Scored rows are counted for drift as the server counts them (docs/MONITORING.md).
            var monitor = new ModelMonitor(store.Monitoring, ModelMonitor.DefaultReferenceRows);
            using var host = new ModelHost(store, options.ModelStoreDirectory, monitor: monitor);
            var catalog = await host.RefreshAsync(force: true);
            await monitor.FlushAsync();
            var skills = services.GetRequiredService<SkillCatalog>();
            var missing = skills.Skills.Where(s => !catalog.Models.ContainsKey(Skillscope.Assessment.Inference.SkillInference.ModelName(s))).ToList();
            if (missing.Count == skills.Skills.Count)
            {
                return CliFailure.Report(error, "no skill model is registered and promoted; run `skillscope train skills` first", CliFailure.InputError);
            }

            var output = parse.InvocationConfiguration.Output;
            if (missing.Count > 0)
            {
                output.WriteLine($"warning: no production model for {string.Join(", ", missing)}; those skills are skipped");
            }

            string kind = parse.GetValue(all) ? JobKind.Full : JobKind.Incremental;
            var runner = new AssessmentJobRunner(store.Assessments.Jobs, store.Assessments.Inputs, services.GetRequiredService<StudentAssessor>(), () => host.Catalog,
                new JobRunnerOptions(parse.GetValue(chunk), parse.GetValue(partition)) { LeaseLost = (lost, reason) => output.WriteLine($"partition {lost.Number}: {reason}") });

            // An unfinished job of this kind is joined, not started again: after a crash it resumes, and
            // several machines running the same command share it, each leasing partitions of its students.
            var (job, created) = await runner.JoinOrCreateAsync(kind, DataOptions.Actor);
            output.WriteLine(created ? $"{job.Id}: {kind} assessment of {job.Total:N0} students" : $"resuming {job.Id}: {job.Processed:N0} of {job.Total:N0} students done");

            using var stopMonitoring = new CancellationTokenSource();
            var monitoring = monitor.RunAsync(ModelMonitor.DefaultFlushInterval, failure => output.WriteLine($"warning: monitoring counts not written: {failure.Message}"), stopMonitoring.Token);
            var finished = await runner.RunToEndAsync(job.Id, Progress(output))
                ?? throw new InvalidOperationException($"{job.Id} disappeared while it ran");
            await stopMonitoring.CancelAsync();
            await monitoring;
            output.WriteLine($"{finished.Id} {finished.Status}: {finished.Processed:N0} students in {finished.ElapsedSeconds:F1} s " +
                $"({finished.Throughput:N0}/s), {finished.Failed:N0} failed");
            foreach (var failure in await store.Assessments.Jobs.JobFailuresAsync(finished.Id, 10))
            {
                output.WriteLine($"  {failure.StudentId}: {failure.Code}: {failure.Message}");
            }

            return finished.Status == JobStatus.Succeeded ? 0 : CliFailure.InputError;
        }));
        return command;
    }

    /// <summary>A progress bar on a terminal; otherwise one line per reported chunk, at most one a second.</summary>
    private static InlineProgress<JobProgress> Progress(TextWriter output)
    {
        bool terminal = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
        var last = DateTime.MinValue;
        return new InlineProgress<JobProgress>(reported =>
        {
            var job = reported.Job;
            double share = job.Total > 0 ? Math.Min(1, (double)job.Processed / job.Total) : 1;
            if (terminal)
            {
                int filled = (int)(share * 30);
                output.Write($"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {share,4:P0} {job.Processed:N0}/{job.Total:N0}  {job.Throughput:N0}/s   ");
                if (job.Processed >= job.Total)
                {
                    output.WriteLine();
                }

                return;
            }

            if ((DateTime.UtcNow - last).TotalSeconds >= 1 || job.Processed >= job.Total)
            {
                last = DateTime.UtcNow;
                output.WriteLine($"assessed {job.Processed:N0}/{job.Total:N0} ({share:P0}), {job.Throughput:N0} students/s");
            }
        });
    }
}
