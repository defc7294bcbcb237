using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>Roster and evidence imports, search, evidence versions and job leases on SQLite and PostgreSQL.</summary>
public sealed class AssessmentStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task A_district_imports_once_and_a_second_import_writes_nothing(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        string district = WriteDistrict(stores.Directory, 60);
        var importer = new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default);

        var first = await importer.ImportDirectoryAsync(district);
        Assert.Equal(["districts", "schools", "teachers", "classes", "students", "utterances", "events", "ratings"], first.Select(r => r.Kind));
        Assert.All(first, r => Assert.Equal(0, r.Rejected));
        Assert.All(first, r => Assert.Equal(r.Rows, r.Written));
        Assert.Equal(60, first.Single(r => r.Kind == "students").Written);

        var second = await importer.ImportDirectoryAsync(district);
        Assert.All(second, r => Assert.Equal(0, r.Written));
        Assert.All(second, r => Assert.Equal(r.Rows, r.Unchanged));

        var store = stores.Store.Assessments;
        Assert.Equal(60, await store.Jobs.CountStudentsAsync(staleOnly: false));
        Assert.Equal(60 * SkillCatalog.Default.Skills.Count, (await store.Inputs.LoadRatingsAsync()).Count);
        var ids = await store.Jobs.StudentIdsAsync(null, 1000, staleOnly: false);
        var evidence = await store.Evidence.LoadEvidenceAsync([ids[0], "nobody", ids[1]]);
        Assert.Equal([ids[0], ids[1]], evidence.Select(e => e.StudentId));
        Assert.Equal(2, evidence[0].EvidenceVersion); // one import brought utterances, another events
        var utterances = File.ReadLines(Path.Combine(district, "utterances.jsonl")).Count(l => l.Contains($"\"{ids[0]}\"", StringComparison.Ordinal));
        Assert.Equal(utterances, evidence[0].Utterances.Count);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Bad_rows_are_reported_by_line_while_good_rows_import(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        string district = WriteDistrict(stores.Directory, 30);
        var importer = new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default);
        await importer.ImportDirectoryAsync(district);
        var store = stores.Store.Assessments;
        string student = (await store.Jobs.StudentIdsAsync(null, 1, false))[0];
        string teacher = (await store.Roster.GetStudentAsync(student))!.TeacherId!;

        string ratings = Path.Combine(stores.Directory, "more-ratings.csv");
        File.WriteAllLines(ratings,
        [
            "student_id,teacher_id,skill,rating,at",
            $"{student},{teacher},empathy,4,2026-10-01T00:00:00Z",
            $"{student},{teacher},empathy,5,2026-10-01T00:00:00Z",
            $"{student},{teacher},kindness,3,2026-10-01T00:00:00Z",
            $"ghost,{teacher},empathy,3,2026-10-01T00:00:00Z",
            $"{student},{teacher},empathy,2,yesterday",
            $"{student},{teacher},empathy",
            $"{student},{teacher},growth_mindset,1,2026-10-02T00:00:00Z",
        ]);
        var result = await importer.ImportFileAsync(ImportKind.Ratings, ratings);
        Assert.Equal(7, result.Rows);
        Assert.Equal(2, result.Written);
        Assert.Equal([3, 4, 5, 6, 7], result.Errors.Select(e => e.Line));
        Assert.Contains("1, 2, 3 or 4", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("kindness", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("student \"ghost\" does not exist", result.Errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("ISO 8601", result.Errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("header has 5", result.Errors[4].Message, StringComparison.Ordinal);

        string utterances = Path.Combine(stores.Directory, "more.jsonl");
        File.WriteAllLines(utterances,
        [
            $$"""{"student_id": "{{student}}", "session_id": "s1", "at": "2026-10-03T09:00:00Z", "source": "written", "text": "I agree with Sam, and we could share."}""",
            "{not json",
            $$"""{"student_id": "{{student}}", "session_id": "s1", "at": "2026-10-03T09:00:00Z", "source": "written", "text": ""}""",
        ]);
        var before = (await store.Evidence.LoadEvidenceAsync([student]))[0];
        var added = await importer.ImportFileAsync(ImportKind.Utterances, utterances);
        Assert.Equal(1, added.Written);
        Assert.Equal([2, 3], added.Errors.Select(e => e.Line));
        var after = (await store.Evidence.LoadEvidenceAsync([student]))[0];
        Assert.Equal(before.EvidenceVersion + 1, after.EvidenceVersion);
        Assert.Equal(before.Utterances.Count + 1, after.Utterances.Count);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task An_erased_student_leaves_no_row_and_the_space_is_reclaimed(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        await new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default).ImportDirectoryAsync(WriteDistrict(stores.Directory, 5));
        var store = stores.Store.Assessments;
        var ids = await store.Jobs.StudentIdsAsync(null, 10, staleOnly: false);
        var erased = await store.Privacy.EraseStudentAsync(ids[0], "test", DateTime.UtcNow);
        Assert.NotNull(erased);
        Assert.Equal(1, erased["students"]);
        Assert.True(erased["utterances"] > 0);
        Assert.Null(await store.Roster.GetStudentAsync(ids[0]));
        Assert.Empty(await store.Evidence.LoadEvidenceAsync([ids[0]]));
        Assert.Null(await store.Privacy.EraseStudentAsync(ids[0], "test", DateTime.UtcNow));

        // The connection goes back to the pool as it was: later writes work as before.
        Assert.Single(await store.Evidence.LoadEvidenceAsync([ids[1]]));
        Assert.NotNull(await store.Privacy.EraseStudentAsync(ids[1], "test", DateTime.UtcNow));
    }

    [Fact]
    public async Task Jsonl_files_import_from_any_writer_and_each_bad_line_is_named()
    {
        await using var stores = await TestStores.CreateAsync("sqlite");
        var importer = new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default);
        await importer.ImportDirectoryAsync(WriteDistrict(stores.Directory, 3));
        var store = stores.Store.Assessments;
        string student = (await store.Jobs.StudentIdsAsync(null, 1, false))[0];
        string Line(string session, string text) =>
            $$"""{"Student_ID": "{{student}}", "session_\u0069d": "{{session}}", "at": "2026-10-03T09:00:00Z", "source": "written", "text": "{{text}}"}""";

        // A byte-order mark, CRLF endings, blank lines, a line longer than the read buffer, escapes and
        // names in any case import; each malformed line is reported by its number and the rest still import.
        string longText = new('見', 19_000);
        string[] lines =
        [
            Line("bom", "first \\\"quoted\\\" line"),
            "",
            "   ",
            Line("long", string.Concat(Enumerable.Repeat("\\u898b", 19_000))),
            "[1, 2]",
            """{"student_id": {"nested": true}}""",
            Line("two", "a") + " {}",
            "{\"student_id\": \"cut",
            Line("last", "Ça va? 見て 🙂"),
        ];
        string utf8 = Path.Combine(stores.Directory, "mixed.jsonl");
        File.WriteAllText(utf8, string.Join("\r\n", lines), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var result = await importer.ImportFileAsync(ImportKind.Utterances, utf8);
        Assert.True(result.Written == 3, string.Join("; ", result.Errors.Select(e => $"{e.Line}: {e.Message}")));
        Assert.Equal(7, result.Rows);
        Assert.Equal([5L, 6, 7, 8], result.Errors.Select(e => e.Line));
        Assert.Contains("expected a JSON object, found array", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("must be a string, number, boolean or null", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.All(result.Errors.Skip(2), e => Assert.StartsWith("not valid JSON", e.Message, StringComparison.Ordinal));
        var texts = (await store.Evidence.LoadEvidenceAsync([student]))[0].Utterances.Where(u => u.SessionId is "bom" or "long" or "last").ToDictionary(u => u.SessionId, u => u.Text);
        Assert.Equal(("first \"quoted\" line", longText, "Ça va? 見て 🙂"), (texts["bom"], texts["long"], texts["last"]));

        // Some Windows tools write UTF-16 with a byte-order mark; bytes that are not UTF-8 are a bad line.
        string utf16 = Path.Combine(stores.Directory, "utf16.jsonl");
        File.WriteAllText(utf16, Line("utf16", "naïve") + "\n", System.Text.Encoding.Unicode);
        Assert.Equal(1, (await importer.ImportFileAsync(ImportKind.Utterances, utf16)).Written);
        Assert.Equal("naïve", (await store.Evidence.LoadEvidenceAsync([student]))[0].Utterances.Single(u => u.SessionId == "utf16").Text);
        string latin1 = Path.Combine(stores.Directory, "latin1.jsonl");
        File.WriteAllBytes(latin1, [.. System.Text.Encoding.UTF8.GetBytes(Line("latin1", "caf")[..^2]), 0xE9, (byte)'"', (byte)'}', (byte)'\n']);
        var refused = await importer.ImportFileAsync(ImportKind.Utterances, latin1);
        Assert.Equal((0L, 1L), (refused.Written, Assert.Single(refused.Errors).Line));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Evidence_round_trips_exactly_whatever_its_text_holds_and_repeats_count_once(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var importer = new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default);
        await importer.ImportDirectoryAsync(WriteDistrict(stores.Directory, 3));
        var store = stores.Store.Assessments;
        string student = (await store.Jobs.StudentIdsAsync(null, 1, false))[0];
        string teacher = (await store.Roster.GetStudentAsync(student))!.TeacherId!;
        var at = new DateTime(2026, 11, 2, 8, 30, 15, 250, DateTimeKind.Utc);
        string[] texts = ["He said \"no\", then \"maybe\".", "a,b,,c", "line one\nline two\r\nthree", "back\\slash \\N and \\.", "\\.", "Ça va? 見て 🙂", "  spaced  "];
        var utterances = texts.Select((t, i) => new Utterance(student, "quoting", at.AddSeconds(i), "written", t)).ToList();
        var events = new List<BehaviorEvent>
        {
            new(student, "game", at, "task_started", null, null),
            new(student, "game", at.AddSeconds(1), "task_completed", "task \"7\", part 2", 1234.5678),
            new(student, "game", at.AddSeconds(2), "help_requested", "", 0.1),
        };

        // Each row twice in one call: stored once.
        var first = await store.Evidence.AddEvidenceAsync([.. utterances, .. utterances], [.. events, .. events], [new TeacherRating(student, teacher, "empathy", 3, at)]);
        Assert.Equal(texts.Length + events.Count + 1, first.Added);
        var again = await store.Evidence.AddEvidenceAsync(utterances, events, [new TeacherRating(student, teacher, "empathy", 3, at)]);
        Assert.Equal(0, again.Added);

        var evidence = (await store.Evidence.LoadEvidenceAsync([student]))[0];
        var stored = evidence.Utterances.Where(u => u.SessionId == "quoting").OrderBy(u => u.At).ToList();
        Assert.Equal(texts, stored.Select(u => u.Text));
        Assert.Equal(utterances.Select(u => u.At), stored.Select(u => u.At));
        var storedEvents = evidence.Events.Where(e => e.SessionId == "game" && e.At >= at && e.At < at.AddSeconds(3)).OrderBy(e => e.At).ToList();
        Assert.Equal(events.Select(e => (e.Kind, e.TaskId, e.LatencyMs)), storedEvents.Select(e => (e.Kind, e.TaskId, e.LatencyMs)));
        Assert.Contains(await store.Inputs.LoadRatingsAsync(), r => r.StudentId == student && r.At == at && r.Rating == 3);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Evidence_is_stored_once_for_students_on_the_roster_and_not_at_all_for_others(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store.Assessments;
        await store.Evidence.UpsertRosterAsync(new RosterRows(
            [new District("d1", "North")], [new School("s1", "d1", "Hill School")], [new Teacher("t1", "s1", "Ana Rivera", "ana.rivera@school.example")],
            [new SchoolClass("c1", "s1", "5A", 5, "t1")], [new Student("new1", "c1", "Maya", "Okafor", 5), new Student("new2", "c1", "Will", "Brown", 5)]));
        var at = new DateTime(2026, 11, 2, 8, 30, 0, DateTimeKind.Utc);
        Utterance[] first =
        [
            new("new1", "s", at, "written", "I can help you."),
            new("new1", "s", at, "written", "I can help you."),
            new("new1", "s", at.AddSeconds(1), "written", "Named by the source.", Id: "u-1"),
            new("new1", "s", at.AddSeconds(2), "written", "The same id, other words.", Id: "u-1"),
            new("new2", "s", at, "written", "I can help you."),
            new("nobody", "s", at, "written", "Not on the roster."),
        ];

        // new1: one by content, one by the source's id; new2: the same words, but another student's; and
        // nothing for a student who is not on the roster (never imported, or erased since the importer
        // checked the names), so no erased student's words come back.
        BehaviorEvent[] nobodysEvent = [new("nobody", "g", at, "task_started", null, null)];
        TeacherRating[] nobodysRating = [new("nobody", "t1", "empathy", 3, at)];
        var write = await store.Evidence.AddEvidenceAsync(first, nobodysEvent, nobodysRating);
        Assert.Equal(3, write.Added);
        Assert.Equal(["new1", "new2"], write.Students.Order(StringComparer.Ordinal));
        Assert.Equal(["I can help you.", "Named by the source."], (await store.Evidence.LoadEvidenceAsync(["new1"]))[0].Utterances.Select(u => u.Text).Order(StringComparer.Ordinal));

        // Once the students have evidence, what they have is checked: only the new sentence is added.
        var again = await store.Evidence.AddEvidenceAsync([.. first, new("new2", "s", at.AddSeconds(5), "spoken", "Let's try again.")], [], []);
        Assert.Equal(1, again.Added);
        Assert.Equal(["new2"], again.Students);
        Assert.Equal(2, (await store.Evidence.LoadEvidenceAsync(["new2"]))[0].Utterances.Count);

        // Nothing was left behind for "nobody": once on the roster, their rows are new and stored.
        await store.Evidence.UpsertRosterAsync(RosterRows.Empty with { Students = [new Student("nobody", "c1", "No", "Body", 5)] });
        var joined = await store.Evidence.AddEvidenceAsync(first, nobodysEvent, nobodysRating);
        Assert.Equal(3, joined.Added);
        Assert.Equal(["nobody"], joined.Students);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Imports_keep_each_students_features_which_assessments_use_while_they_are_current(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var importer = new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default);
        await importer.ImportDirectoryAsync(WriteDistrict(stores.Directory, 40));
        var store = stores.Store.Assessments;
        var ids = await store.Jobs.StudentIdsAsync(null, 100, false);

        var inputs = await store.Inputs.LoadAssessmentInputsAsync([.. ids, "nobody"]);
        Assert.Equal(ids, inputs.Select(i => i.StudentId));
        var evidence = await store.Evidence.LoadEvidenceAsync(ids);
        var extractor = new FeatureExtractor();
        for (int i = 0; i < ids.Count; i++)
        {
            var kept = inputs[i].Features;
            Assert.NotNull(kept);
            Assert.Empty(inputs[i].Utterances);
            var fresh = extractor.Extract(evidence[i].Utterances, evidence[i].Events);
            Assert.Equal(fresh.Values, kept!.Values);
            Assert.Equal(fresh.Coverage, kept.Coverage, 12);
            Assert.Equal(fresh.Exemplars.OrderBy(p => p.Key), kept.Exemplars.OrderBy(p => p.Key));
        }

        // New evidence stored without a refresh makes the kept features stale: the evidence is read instead.
        var write = await store.Evidence.AddEvidenceAsync([new Utterance(ids[0], "late", new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), "written", "We can try again together.")], [], []);
        Assert.Equal([ids[0]], write.Students);
        var stale = (await store.Inputs.LoadAssessmentInputsAsync([ids[0]]))[0];
        Assert.Null(stale.Features);
        Assert.Equal(evidence[0].Utterances.Count + 1, stale.Utterances.Count);
        await importer.RefreshFeaturesAsync([ids[0]]);
        Assert.NotNull((await store.Inputs.LoadAssessmentInputsAsync([ids[0]]))[0].Features);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Students_are_found_by_name_id_and_class_a_page_at_a_time(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var importer = new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default);
        await importer.ImportDirectoryAsync(WriteDistrict(stores.Directory, 80));
        var store = stores.Store.Assessments;
        var someone = (await store.Roster.GetStudentAsync((await store.Jobs.StudentIdsAsync(null, 1, false))[0]))!;

        var byName = await store.Roster.SearchStudentsAsync(someone.LastName.ToUpperInvariant(), null, 1, 50);
        Assert.Contains(byName.Students, s => s.Id == someone.Id);
        Assert.All(byName.Students, s => Assert.Contains(someone.LastName, s.FirstName + " " + s.LastName + " " + s.Id, StringComparison.OrdinalIgnoreCase));

        var byClass = await store.Roster.SearchStudentsAsync(null, someone.ClassId, 1, 10);
        Assert.All(byClass.Students, s => Assert.Equal(someone.ClassId, s.ClassId));
        Assert.True(byClass.Total >= byClass.Students.Count);
        var page2 = await store.Roster.SearchStudentsAsync(null, null, 2, 30);
        Assert.Equal(80, page2.Total);
        Assert.Equal(30, page2.Students.Count);
        Assert.Empty((await store.Roster.SearchStudentsAsync("100%_", null, 1, 10)).Students);
        Assert.Equal(someone.DistrictId, (await store.Roster.GetStudentAsync(someone.Id))!.DistrictId);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Job_partitions_are_leased_to_one_worker_each_fenced_by_generation_and_taken_over_when_their_holder_is_gone(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store.Assessments;
        var job = new AssessmentJob("job-1", JobKind.Full, JobStatus.Queued, DateTime.UtcNow, "test", 10, 0, 0, null, null, null, 0, null);
        Assert.True(await store.Jobs.CreateJobAsync(job));
        Assert.False(await store.Jobs.CreateJobAsync(job));
        var lease = TimeSpan.FromMinutes(1);
        Assert.Null(await store.Jobs.ClaimPartitionAsync("job-1", "a", lease, _ => false));

        Assert.Equal(JobStatus.Running, (await store.Jobs.StartJobAsync("job-1"))!.Status);
        Assert.True(await store.Jobs.AddPartitionsAsync("job-1", [(null, "s-3"), ("s-3", "s-6"), ("s-6", null)]));
        Assert.False(await store.Jobs.AddPartitionsAsync("job-1", [(null, null)]));

        // Workers claiming at once each get their own partition.
        var claimed = await Task.WhenAll(new[] { "a", "b", "c" }.Select(owner => store.Jobs.ClaimPartitionAsync("job-1", owner, lease, _ => false)));
        Assert.Equal([0, 1, 2], claimed.Select(p => p!.Number).Order());
        Assert.All(claimed, p => Assert.Equal((PartitionStatus.Running, 1L), (p!.Status, p.Generation)));
        Assert.Null(await store.Jobs.ClaimPartitionAsync("job-1", "d", lease, _ => false));
        var a = claimed.Single(p => p!.Owner == "a")!;

        Assert.Equal((1L, 1L), await store.Jobs.CommitPartitionChunkAsync(a, [], [new JobFailure("job-1", "s-1", "x", "y")], "s-1", 0.5, 1.5, lease));
        Assert.True(await store.Jobs.RenewPartitionAsync(a, lease));

        // "a" is gone: "d" takes its partition over under a new generation and goes on after its cursor.
        var taken = await store.Jobs.ClaimPartitionAsync("job-1", "d", lease, owner => owner == "a");
        Assert.Equal((a.Number, "d", 2L, "s-1"), (taken!.Number, taken.Owner, taken.Generation, taken.Cursor));

        // A late commit, renewal or completion from "a" changes nothing.
        await Assert.ThrowsAsync<JobLeaseLostException>(() => store.Jobs.CommitPartitionChunkAsync(a, [], [new JobFailure("job-1", "s-2", "x", "y")], "s-2", 1, 2, lease));
        Assert.False(await store.Jobs.RenewPartitionAsync(a, lease));
        Assert.False(await store.Jobs.CompletePartitionAsync(a, 1));

        // An expired lease is free for anyone.
        var b = claimed.Single(p => p!.Owner == "b")!;
        Assert.True(await store.Jobs.RenewPartitionAsync(b, TimeSpan.FromMilliseconds(1)));
        await Task.Delay(20);
        var expired = await store.Jobs.ClaimPartitionAsync("job-1", "e", lease, _ => false);
        Assert.Equal((b.Number, 2L), (expired!.Number, expired.Generation));

        Assert.Equal(JobStatus.Running, (await store.Jobs.FinishJobIfCompleteAsync("job-1", 3))!.Status);
        foreach (var held in new[] { taken, expired, claimed.Single(p => p!.Owner == "c")! })
        {
            Assert.True(await store.Jobs.CompletePartitionAsync(held, 1));
        }

        var finished = await store.Jobs.FinishJobIfCompleteAsync("job-1", 3);
        Assert.Equal((JobStatus.Succeeded, 1L, 1L, "1 students could not be assessed"), (finished!.Status, finished.Processed, finished.Failed, finished.Message));
        Assert.Null(await store.Jobs.ClaimPartitionAsync("job-1", "f", lease, _ => true));
        Assert.Single(await store.Jobs.JobFailuresAsync("job-1", 10));
        Assert.Equal(JobStatus.Succeeded, (await store.Jobs.ListJobsAsync(10)).Single().Status);
        Assert.All(await store.Jobs.ListPartitionsAsync("job-1"), p => Assert.Equal(PartitionStatus.Done, p.Status));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task A_failed_job_refuses_its_workers_commits(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store.Assessments;
        await store.Jobs.CreateJobAsync(new AssessmentJob("job-2", JobKind.Full, JobStatus.Queued, DateTime.UtcNow, "test", 10, 0, 0, null, null, null, 0, null));
        await store.Jobs.StartJobAsync("job-2");
        await store.Jobs.AddPartitionsAsync("job-2", [(null, null)]);
        var held = (await store.Jobs.ClaimPartitionAsync("job-2", "a", TimeSpan.FromMinutes(1), _ => false))!;
        await store.Jobs.FailJobAsync("job-2", "models missing", 1);

        await Assert.ThrowsAsync<JobLeaseLostException>(() => store.Jobs.CommitPartitionChunkAsync(held, [], [], "s-1", 1, 1, TimeSpan.FromMinutes(1)));
        Assert.False(await store.Jobs.RenewPartitionAsync(held, TimeSpan.FromMinutes(1)));
        Assert.Equal((JobStatus.Failed, "models missing"), ((await store.Jobs.GetJobAsync("job-2"))!.Status, (await store.Jobs.GetJobAsync("job-2"))!.Message));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Cached_feedback_is_found_until_it_expires_and_can_be_replaced(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var cache = stores.Store.Assessments.FeedbackCache;
        // From the real clock: a write now and then removes entries expired by the real time, which a
        // fixed date in the past would be (the test then failed about once in a hundred runs).
        var now = DateTime.UtcNow;
        Assert.Null(await cache.GetFeedbackAsync("k1", now));

        await cache.PutFeedbackAsync("k1", "{\"summary\":\"first\"}", now.AddHours(1), "st1");
        Assert.Equal("{\"summary\":\"first\"}", await cache.GetFeedbackAsync("k1", now.AddMinutes(59)));
        Assert.Null(await cache.GetFeedbackAsync("k1", now.AddHours(1)));

        await cache.PutFeedbackAsync("k1", "{\"summary\":\"second\"}", now.AddHours(2), "st1");
        Assert.Equal("{\"summary\":\"second\"}", await cache.GetFeedbackAsync("k1", now.AddHours(1)));
        Assert.Null(await cache.GetFeedbackAsync("k2", now));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Roster_names_of_students_and_teachers_are_listed_for_redaction(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        await new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default).ImportDirectoryAsync(WriteDistrict(stores.Directory, 20));
        var store = stores.Store.Assessments;
        var names = (await store.FeedbackCache.RosterNamesAsync()).ToHashSet(StringComparer.Ordinal);
        var student = (await store.Roster.GetStudentAsync((await store.Jobs.StudentIdsAsync(null, 1, false))[0]))!;

        Assert.Contains(student.FirstName, names);
        Assert.Contains(student.LastName, names);
        Assert.Equal(names.Count, (await store.FeedbackCache.RosterNamesAsync()).Count);
        Assert.True(names.Count > 5, $"{names.Count} names");
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Sessions_end_by_sign_out_a_new_stamp_or_a_disabled_account_and_old_ones_are_forgotten(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var store = stores.Store.Assessments;
        var at = new DateTime(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);
        await store.Users.UpsertUserAsync(new DashboardUser("pat", "Pat", "admin", null, "hash") { SecurityStamp = "s1" });
        await store.Users.StartSessionAsync("a", "pat", at.AddDays(-3), at.AddDays(-10));
        await store.Users.StartSessionAsync("b", "pat", at, at.AddDays(-2));
        await store.Users.StartSessionAsync("c", "pat", at, at.AddDays(-2));
        Assert.Null(await store.Users.SessionStateAsync("pat", "a")); // started before the cut: forgotten
        Assert.Equal(new DashboardSessionState("s1", false, false), await store.Users.SessionStateAsync("pat", "b"));
        Assert.Null(await store.Users.SessionStateAsync("someone-else", "b"));

        await store.Users.EndSessionAsync("b", at.AddHours(1));
        Assert.Equal(new DashboardSessionState("s1", false, true), await store.Users.SessionStateAsync("pat", "b"));
        Assert.True(await store.Users.ChangeSecurityStampAsync("pat", "s2"));
        Assert.Equal(new DashboardSessionState("s2", false, false), await store.Users.SessionStateAsync("pat", "c"));
        Assert.True(await store.Users.SetDisabledAsync("pat", true, "s3", at.AddHours(2)));
        Assert.Equal(new DashboardSessionState("s3", true, false), await store.Users.SessionStateAsync("pat", "c"));
        Assert.Equal(at.AddHours(2), (await store.Users.GetUserAsync("pat"))!.DisabledAt);

        // Re-creating the account keeps it disabled; enabling it is its own step.
        await store.Users.UpsertUserAsync(new DashboardUser("pat", "Pat Lee", "admin", null, "hash-2") { SecurityStamp = "s4" });
        Assert.Equal(("s4", at.AddHours(2)), ((await store.Users.GetUserAsync("pat"))!.SecurityStamp, (await store.Users.GetUserAsync("pat"))!.DisabledAt));
        Assert.True(await store.Users.SetDisabledAsync("pat", false, "s5", at.AddHours(3)));
        Assert.Null(Assert.Single(await store.Users.ListUsersAsync()).DisabledAt);
        Assert.False(await store.Users.SetDisabledAsync("nobody", true, "x", at));
        Assert.False(await store.Users.ChangeSecurityStampAsync("nobody", "x"));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Dashboard_accounts_classes_and_accuracy_feedback_round_trip(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        await new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default).ImportDirectoryAsync(WriteDistrict(stores.Directory, 30));
        var store = stores.Store.Assessments;

        await store.Users.UpsertUserAsync(new DashboardUser("pat", "Pat", "teacher", "T1", "hash-1"));
        await store.Users.UpsertUserAsync(new DashboardUser("pat", "Pat Lee", "teacher", "T2", "hash-2"));
        Assert.Equal(new DashboardUser("pat", "Pat Lee", "teacher", "T2", "hash-2"), await store.Users.GetUserAsync("pat"));
        Assert.Null(await store.Users.GetUserAsync("nobody"));
        await store.Users.UpsertUserAsync(new DashboardUser("hill", "Hill", "admin", null, "hash-3") { DistrictId = "d1" });
        Assert.Equal("d1", (await store.Users.GetUserAsync("hill"))!.DistrictId);

        var all = await store.Roster.ClassesAsync(RosterScope.Everything);
        Assert.Equal(30, all.Sum(c => c.Students));
        Assert.Equal(all, await store.Roster.ClassesAsync(new RosterScope("d1", null)));
        Assert.Empty(await store.Roster.ClassesAsync(new RosterScope("d2", null)));
        string teacher = all[0].TeacherId;
        var theirs = await store.Roster.ClassesAsync(RosterScope.OfTeacher(teacher));
        Assert.All(theirs, c => Assert.Equal(teacher, c.TeacherId));
        Assert.Empty(await store.Roster.ClassesAsync(RosterScope.OfTeacher("no-such-teacher")));
        Assert.Empty(await store.Roster.ClassesAsync(RosterScope.OfTeacher(null)));
        Assert.Empty(await store.Roster.ClassesAsync(RosterScope.OfTeacher(teacher, "d2")));
        Assert.Equal(30, (await store.Roster.SearchStudentsAsync(null, null, 1, 100, new RosterScope("d1", null))).Total);
        Assert.Equal(0, (await store.Roster.SearchStudentsAsync(null, null, 1, 100, new RosterScope("d2", null))).Total);
        var page = await store.Roster.SearchStudentsAsync(null, null, 1, 100, RosterScope.OfTeacher(teacher));
        Assert.Equal(theirs.Sum(c => c.Students), page.Total);
        Assert.All(page.Students, s => Assert.Equal(teacher, s.TeacherId));
        int grade = page.Students[0].Grade;
        Assert.All((await store.Roster.SearchStudentsAsync(null, null, 1, 100, grade: grade)).Students, s => Assert.Equal(grade, s.Grade));

        var roster = await store.Roster.ClassScoresAsync(theirs[0].Id);
        Assert.Equal(theirs[0].Students, roster.Count);
        Assert.All(roster, r => Assert.Empty(r.Fused)); // not assessed yet

        var saved = await store.AccuracyFeedback.AddAccuracyFeedbackAsync(new AccuracyFeedback(0, 42, roster[0].StudentId, "pat", new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc), "no", ["empathy", "resilience"], "comma, and \"quote\""));
        Assert.True(saved.Id > 0);
        var listed = Assert.Single(await store.AccuracyFeedback.ListAccuracyFeedbackAsync(10));
        Assert.Equal(listed.Id, Assert.Single(await store.AccuracyFeedback.ListAccuracyFeedbackAsync(10, "d1")).Id);
        Assert.Empty(await store.AccuracyFeedback.ListAccuracyFeedbackAsync(10, "d2"));
        Assert.Equal((saved.Id, 42L, "no", "comma, and \"quote\""), (listed.Id, listed.AssessmentId, listed.Verdict, listed.Comment));
        Assert.Equal(["empathy", "resilience"], listed.SkillsOff);

        // Weak labels read each answer with the assessment it is about (an answer about no stored assessment gives none).
        Assert.Empty(await store.AccuracyFeedback.AnsweredAssessmentsAsync());
        var stored = (await store.Records.SaveAssessmentsAsync([Scored(roster[1].StudentId, 0.8, ("template", "llm_not_configured", null))]))[0];
        await store.AccuracyFeedback.AddAccuracyFeedbackAsync(new AccuracyFeedback(0, stored.Id, roster[1].StudentId, "pat", new DateTime(2026, 11, 30, 11, 0, 0, DateTimeKind.Utc), "yes", [], null));
        await store.AccuracyFeedback.AddAccuracyFeedbackAsync(new AccuracyFeedback(0, stored.Id, roster[1].StudentId, "pat", new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc), "no", ["empathy"], null));
        var (answer, assessment) = Assert.Single(await store.AccuracyFeedback.AnsweredAssessmentsAsync());
        Assert.Equal((stored.Id, "no", roster[1].StudentId), (assessment.Id, answer.Verdict, assessment.StudentId));
        Assert.Equal(0.8, assessment.Skills[0].Fused);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Monitoring_counts_the_latest_assessments_scores_versions_and_feedback(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        await new EvidenceImporter(stores.Store.Assessments.Evidence, stores.Store.Assessments.Roster, SkillCatalog.Default).ImportDirectoryAsync(WriteDistrict(stores.Directory, 30));
        var store = stores.Store.Assessments;
        var students = (await store.Roster.SearchStudentsAsync(null, null, 1, 30)).Students;
        // Fused scores 0, 0.05, …, 0.95 and one at exactly 1 (the top bin); a quarter written by an LLM.
        var assessments = students.Take(21).Select((s, i) => Scored(s.Id, i == 20 ? 1 : i * 0.05, i % 4 == 0 ? ("llm", "ok", 1000) : ("template", "llm_not_configured", null))).ToList();
        await store.Records.SaveAssessmentsAsync(assessments);

        var monitoring = await store.Monitor.MonitorAsync(DateTime.UtcNow.AddDays(-1), 1000);
        Assert.Equal(SkillCatalog.Default.Skills.Order(StringComparer.Ordinal), monitoring.Skills.Select(s => s.Skill));
        var empathy = monitoring.Skills.Single(s => s.Skill == "empathy");
        Assert.Equal(21, empathy.Scores);
        Assert.Equal([2L, 2, 2, 2, 2, 2, 2, 2, 2, 3], empathy.Histogram);
        Assert.Equal(Enumerable.Range(0, 21).Average(i => i == 20 ? 1 : i * 0.05), empathy.MeanFused, 9);
        Assert.Equal("1.0.0", Assert.Single(empathy.Versions).Version);
        Assert.InRange(empathy.Rated, 1, 21);
        Assert.True(empathy.RatingCorrelation is null or (>= -1 and <= 1));
        var llm = monitoring.Feedback.Single(f => f.Source == "llm");
        Assert.Equal((6L, 6000L, 600L), (llm.Assessments, llm.TokensIn, llm.TokensOut));
        Assert.Equal(15, monitoring.Feedback.Single(f => f.Source == "template").Assessments);

        // Bounded to the latest assessments, and to the period; a later id may carry an earlier time (chunks
        // of a job are assessed concurrently and committed in order) and still counts.
        Assert.Equal(5, (await store.Monitor.MonitorAsync(DateTime.UtcNow.AddDays(-1), 5)).Skills[0].Scores);
        await store.Records.SaveAssessmentsAsync([.. students.Skip(21).Take(2).Select(s => Scored(s.Id, 0.5, ("template", "llm_not_configured", null)) with { AssessedAt = DateTime.UtcNow.AddHours(-1) })]);
        Assert.Equal(23, (await store.Monitor.MonitorAsync(DateTime.UtcNow.AddDays(-1), 1000)).Skills[0].Scores);
        Assert.Equal(3, (await store.Monitor.MonitorAsync(DateTime.UtcNow.AddDays(-1), 3)).Skills[0].Scores);
        var none = await store.Monitor.MonitorAsync(DateTime.UtcNow.AddDays(1), 1000);
        Assert.Empty(none.Skills);
        Assert.Empty(none.Feedback);
    }

    private static StudentAssessment Scored(string studentId, double fused, (string Source, string Reason, int? Tokens) feedback)
    {
        var skills = SkillCatalog.Default.Skills.Select(skill => new SkillAssessment(skill, fused, 0.7, 0.9, $"skill_{skill}@1.0.0", "1.0.0", new string('a', 64), fused,
            new FusionComponents(fused, fused, fused, fused, 0.6, 0.15, 0.15, 0.1), [], [])).ToList();
        var text = TemplateFeedback.Write(studentId, 0.9, skills, feedback.Reason) with { Source = feedback.Source, TokensIn = feedback.Tokens, TokensOut = feedback.Tokens / 10 };
        return new StudentAssessment(studentId, DateTime.UtcNow, "features-1", 0.9, skills, [], text, "1", 1, null);
    }

    private static string WriteDistrict(string root, int students)
    {
        var generator = new DistrictGenerator(3, SkillCatalog.Default);
        string directory = Path.Combine(root, "district");
        DistrictWriter.Write(generator, generator.Roster(students), directory, SkillCatalog.Default.Skills);
        return directory;
    }
}
