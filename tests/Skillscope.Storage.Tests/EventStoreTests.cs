using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Events;
using Skillscope.Scoring.Registry;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>Events written with the changes they tell of, to the subscriptions that take them, on SQLite and PostgreSQL.</summary>
public sealed class EventStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Each_change_tells_exactly_the_subscriptions_that_take_it_in_order(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        string district = WriteTwoDistricts(stores.Directory, 60);
        await new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default).ImportDirectoryAsync(district);
        var events = stores.Store.Events;
        var now = DateTime.UtcNow;
        await Subscribe(events, "all", null, EventTypes.All);
        await Subscribe(events, "first", "d1", [EventTypes.AssessmentCompleted, EventTypes.JobCompleted]);
        await Subscribe(events, "second", "d2", [EventTypes.ModelPromoted]);
        Assert.Equal(["all", "first", "second"], (await events.SubscriptionsAsync()).Select(s => s.Id));

        // Assessments: each to its student's district's subscriptions and the installation's, in assessment order.
        var roster = stores.Store.Assessments.Roster;
        var students = await stores.Store.Assessments.Jobs.StudentIdsAsync(null, 1000, staleOnly: false);
        var districtOf = new Dictionary<string, string>();
        foreach (string id in students)
        {
            districtOf[id] = (await roster.GetStudentAsync(id))!.DistrictId!;
        }

        var chosen = students.Where(s => districtOf[s] == "d1").Take(3).Concat(students.Where(s => districtOf[s] == "d2").Take(3)).Reverse().ToList();
        var saved = await stores.Store.Assessments.Records.SaveAssessmentsAsync([.. chosen.Select(Assessment)]);
        var all = (await events.DeliveriesAsync("all", 100)).Reverse().ToList();
        Assert.Equal(saved.Select(a => a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), all.Select(d => d.Subject));
        Assert.All(all, d => Assert.Equal(EventTypes.AssessmentCompleted, d.Type));
        Assert.Equal(chosen.Select(s => districtOf[s]), all.Select(d => d.DistrictId));
        Assert.Contains($"\"student_id\":\"{chosen[0]}\"", all[0].Data, StringComparison.Ordinal);
        var first = (await events.DeliveriesAsync("first", 100)).Reverse().ToList();
        Assert.Equal(saved.Where(a => districtOf[a.StudentId] == "d1").Select(a => a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), first.Select(d => d.Subject));
        Assert.Empty(await events.DeliveriesAsync("second", 100));

        // A production alias moved tells every taker; another alias, or a move refused, tells none.
        var registry = stores.Store;
        foreach (string version in new[] { "1.0.0", "2.0.0" })
        {
            await registry.AddVersionAsync(new ModelVersionRecord("skill_empathy", version, version, version, "/x", "{}", now, "tester"), Audit("model.register", version));
        }

        await registry.SetAliasAsync(new AliasRecord("skill_empathy", ModelRegistry.Production, "1.0.0", null, now, "tester"), Audit("promote", "skill_empathy/production"));
        await registry.SetAliasAsync(new AliasRecord("skill_empathy", "staging", "2.0.0", null, now, "tester"), Audit("promote", "skill_empathy/staging"));
        Assert.False(await registry.MoveAliasAsync(new AliasRecord("skill_empathy", ModelRegistry.Production, "3.0.0", "1.0.0", now, "tester"), "9.9.9", Audit("promote", "x")));
        var promoted = Assert.Single(await events.DeliveriesAsync("second", 100));
        Assert.Equal((EventTypes.ModelPromoted, "skill_empathy@production"), (promoted.Type, promoted.Subject));
        Assert.Contains("\"version\":\"1.0.0\"", promoted.Data, StringComparison.Ordinal);

        // A job that ends (it counts every district's students) and an alert tell only the installation's subscriptions.
        var job = new AssessmentJob("job-9", "batch", JobStatus.Queued, now, "tester", 0, 0, 0, null, null, null, 0, null);
        Assert.True(await stores.Store.Assessments.Jobs.CreateJobAsync(job));
        await stores.Store.Assessments.Jobs.FailJobAsync("job-9", "stopped by a test", 1.5);
        await stores.Store.Assessments.Jobs.FailJobAsync("job-9", "again", 1.5); // already ended: nothing more
        var ended = Assert.Single(await events.DeliveriesAsync("all", 1));
        Assert.Equal((EventTypes.JobCompleted, "job-9"), (ended.Type, ended.Subject));
        Assert.Contains("\"status\":\"failed\"", ended.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(await events.DeliveriesAsync("first", 100), d => d.Type == EventTypes.JobCompleted);
        var fired = new AlertEvent(0, "drift", AlertKinds.FeatureDrift, "skill_empathy", AlertEvent.Fired, now, 0.5, 0.2, "drifted");
        var state = new AlertState("drift", "skill_empathy", AlertState.Firing, now, now, 0.5, 0.2, now, 1);
        Assert.True((await stores.Store.Alerts.ApplyAsync(null, state, fired, [])).Written);
        var allNow = (await events.DeliveriesAsync("all", 100)).Reverse().ToList();
        Assert.Equal([.. Enumerable.Repeat(EventTypes.AssessmentCompleted, 6), EventTypes.ModelPromoted, EventTypes.JobCompleted, EventTypes.AlertFiring],
            allNow.Select(d => d.Type));
        Assert.Contains("\"value\":0.5", allNow[^1].Data, StringComparison.Ordinal);
        Assert.Equal(3, (await events.DeliveriesAsync("first", 100)).Count); // its district's three assessments

        // Delivery: the oldest pending of each subscription is due; a failed attempt holds the later ones back.
        var due = await events.DueDeliveriesAsync(DateTime.UtcNow.AddSeconds(1));
        Assert.Equal([all[0].Id, first[0].Id, promoted.Id], due.Select(d => d.Id));
        var batch = await events.DueDeliveriesAsync(DateTime.UtcNow.AddSeconds(1), perSubscription: 5);
        Assert.Equal(allNow.Take(5).Select(d => d.Id), batch.Where(d => d.SubscriptionId == "all").Select(d => d.Id));
        Assert.Equal(3, batch.Count(d => d.SubscriptionId == "first"));
        Assert.Equal(batch.Where(d => d.SubscriptionId == "first").Select(d => d.Id),
            (await events.DueDeliveriesAsync(DateTime.UtcNow.AddSeconds(1), 5, "first")).Select(d => d.Id));
        Assert.True(await events.ClaimDeliveryAsync(due[0], DateTime.UtcNow.AddMinutes(2)));
        Assert.False(await events.ClaimDeliveryAsync(due[0], DateTime.UtcNow.AddMinutes(2)));
        await events.RecordAttemptAsync(due[0].Id, 1, AlertDelivery.Pending, null, DateTime.UtcNow.AddMinutes(5), "the receiver answered 503");
        Assert.DoesNotContain(await events.DueDeliveriesAsync(DateTime.UtcNow.AddSeconds(1)), d => d.SubscriptionId == "all");
        var retried = (await events.DueDeliveriesAsync(DateTime.UtcNow.AddMinutes(6))).Single(d => d.SubscriptionId == "all");
        Assert.Equal((all[0].Id, 1, "the receiver answered 503"), (retried.Id, retried.Attempts, retried.LastError));

        // Replay: a delivered one is sent again under its id; a pending one is not replayed.
        Assert.False(await events.ReplayAsync("all", retried.Id, DateTime.UtcNow, Audit("webhook.replay", "webhook:all")));
        Assert.True(await events.ClaimDeliveryAsync(retried, DateTime.UtcNow.AddMinutes(2)));
        await events.RecordAttemptAsync(retried.Id, 2, AlertDelivery.Delivered, DateTime.UtcNow, DateTime.UtcNow, null);
        Assert.Equal(all[1].Id, (await events.DueDeliveriesAsync(DateTime.UtcNow.AddSeconds(1))).Single(d => d.SubscriptionId == "all").Id);
        Assert.False(await events.ReplayAsync("first", retried.Id, DateTime.UtcNow, Audit("webhook.replay", "webhook:first")));
        Assert.True(await events.ReplayAsync("all", retried.Id, DateTime.UtcNow, Audit("webhook.replay", "webhook:all")));
        Assert.Equal(retried.Id, (await events.DueDeliveriesAsync(DateTime.UtcNow.AddSeconds(1))).Single(d => d.SubscriptionId == "all").Id);

        // Removal takes the credentials and the log with it.
        Assert.NotNull(await events.CredentialsAsync("first"));
        Assert.True(await events.RemoveSubscriptionAsync("first", Audit("webhook.unsubscribe", "webhook:first")));
        Assert.False(await events.RemoveSubscriptionAsync("first", Audit("webhook.unsubscribe", "webhook:first")));
        Assert.Null(await events.CredentialsAsync("first"));
        Assert.Empty(await events.DeliveriesAsync("first", 100));
        Assert.DoesNotContain(await events.DueDeliveriesAsync(DateTime.UtcNow.AddSeconds(1)), d => d.SubscriptionId == "first");
    }

    private static Task Subscribe(IEventStore events, string id, string? district, IReadOnlyList<string> types) =>
        events.AddSubscriptionAsync(new EventSubscription(id, district, "https://receiver.example.org/…abcd", types, DateTime.UtcNow, "tester"),
            "protected-url", "protected-secret", Audit("webhook.subscribe", $"webhook:{id}"));

    private static AuditEntry Audit(string action, string subject) => new(0, DateTime.UtcNow, "tester", action, subject, null, null);

    private static StudentAssessment Assessment(string studentId)
    {
        var skills = SkillCatalog.Default.Skills.Select(skill => new SkillAssessment(skill, 0.5, 0.7, 0.9, $"skill_{skill}@1.0.0", "1.0.0", new string('a', 64), 0.5,
            new FusionComponents(0.5, 0.5, 0.5, 0.5, 0.6, 0.15, 0.15, 0.1), [], [])).ToList();
        return new StudentAssessment(studentId, DateTime.UtcNow, "features-1", 0.9, skills, [], TemplateFeedback.Write(studentId, 0.9, skills, "llm_not_configured"), "1", 1, null);
    }

    /// <summary>A generated district whose last class is moved to a school of a second district, d2.</summary>
    private static string WriteTwoDistricts(string root, int students)
    {
        var generator = new DistrictGenerator(5, SkillCatalog.Default);
        string directory = Path.Combine(root, "district");
        DistrictWriter.Write(generator, generator.Roster(students), directory, SkillCatalog.Default.Skills);
        File.AppendAllText(Path.Combine(directory, "districts.csv"), "d2,Hillside (synthetic)\n");
        File.AppendAllText(Path.Combine(directory, "schools.csv"), "s-d2,d2,Hillside School\n");
        var classes = File.ReadAllLines(Path.Combine(directory, "classes.csv"));
        Assert.True(classes.Length >= 3, "the generator makes at least two classes");
        var last = classes[^1].Split(',');
        classes[^1] = string.Join(',', [last[0], "s-d2", .. last[2..]]);
        File.WriteAllLines(Path.Combine(directory, "classes.csv"), classes);
        return directory;
    }
}
