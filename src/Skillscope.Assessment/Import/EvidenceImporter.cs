using System.Globalization;
using System.Text;
using System.Text.Json;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Skills;

namespace Skillscope.Assessment.Import;

/// <summary>
/// Imports roster and evidence rows (CSV with a header, JSONL, or a JSON array from the API). Every
/// row is validated — required fields, types, ranges, and that the students, classes, schools and
/// teachers it names exist — and bad rows are reported with their line numbers while the good rows are
/// written. Writing is idempotent: importing the same file again writes nothing new. Evidence rows
/// with an <c>id</c> field are identified by it; rows without one by their content, so two identical
/// rows (same student, session, time, kind or text) are one event. After an import, the features of
/// every student who got new evidence are extracted and stored, so assessments need not read it all.
/// </summary>
public sealed class EvidenceImporter(IEvidenceStore store, IRosterDirectory roster, SkillCatalog catalog)
{
    private const int BatchRows = 20_000;
    private const int MaxTextLength = 20_000;
    private const int FeatureChunk = 1_000;

    // From this many students with new evidence an import is a bulk load: the store is told before the
    // features are refreshed (EvidenceBulkWrittenAsync), which costs a second or two on a large database.
    private const int BulkStudents = 5_000;

    // Chunks of a JSONL file parsed or waiting at once (about a megabyte each).
    private const int ParseAhead = 4;

    /// <summary>Imports every known file of a directory (<c>students.csv</c>, <c>utterances.jsonl</c>, …) in dependency order.</summary>
    public async Task<IReadOnlyList<ImportResult>> ImportDirectoryAsync(string directory, IProgress<ImportResult>? progress = null, CancellationToken cancellation = default)
    {
        var results = new List<ImportResult>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            foreach (string extension in new[] { ".csv", ".jsonl", ".ndjson", ".csv.gz", ".jsonl.gz", ".ndjson.gz" })
            {
                string path = Path.Combine(directory, ImportKinds.Name(kind) + extension);
                if (File.Exists(path))
                {
                    var result = await ImportFileAsync(kind, path, touched, cancellation).ConfigureAwait(false);
                    results.Add(result);
                    progress?.Report(result);
                }
            }
        }

        // Once for the whole directory: a student's utterances and events usually come in different files.
        await RefreshFeaturesAsync(touched, cancellation).ConfigureAwait(false);
        return results;
    }

    /// <summary>Imports one file; CSV unless its name ends in .jsonl, .ndjson or .json; gzip-compressed when it also ends in .gz.</summary>
    public async Task<ImportResult> ImportFileAsync(ImportKind kind, string path, CancellationToken cancellation = default)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var result = await ImportFileAsync(kind, path, touched, cancellation).ConfigureAwait(false);
        await RefreshFeaturesAsync(touched, cancellation).ConfigureAwait(false);
        return result;
    }

    /// <summary>Imports text in CSV or JSONL form (e.g. a request body).</summary>
    public async Task<ImportResult> ImportTextAsync(ImportKind kind, string source, string text, bool jsonl, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var rows = jsonl ? ParseJsonl(kind, new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false), cancellation) : Parse(kind, ImportRows.Csv(new StringReader(text)));
        var result = await ImportAsync(kind, source, rows, touched, cancellation).ConfigureAwait(false);
        await RefreshFeaturesAsync(touched, cancellation).ConfigureAwait(false);
        return result;
    }

    /// <summary>Imports a JSON array of objects; error "lines" are then item numbers (1-based).</summary>
    public async Task<ImportResult> ImportJsonAsync(ImportKind kind, string source, JsonElement array, CancellationToken cancellation = default)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var result = await ImportAsync(kind, source, Parse(kind, ImportRows.JsonArray(array)), touched, cancellation).ConfigureAwait(false);
        await RefreshFeaturesAsync(touched, cancellation).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Extracts and stores the features of students whose evidence changed, so assessments read them
    /// instead of all the evidence (they are computed from the evidence alone, so this changes no result).
    /// </summary>
    /// <remarks>
    /// A chunk's evidence is read while the chunk before is extracted (on every core) and its features
    /// written: the three steps overlap instead of taking turns.
    /// </remarks>
    public async Task RefreshFeaturesAsync(IReadOnlyCollection<string> students, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(students);
        var chunks = students.Order(StringComparer.Ordinal).Chunk(FeatureChunk).ToList();
        if (chunks.Count == 0)
        {
            return;
        }

        if (students.Count >= BulkStudents)
        {
            await store.EvidenceBulkWrittenAsync(cancellation).ConfigureAwait(false);
        }

        var loading = store.LoadEvidenceAsync(chunks[0], cancellation);
        var saving = Task.CompletedTask;
        try
        {
            for (int c = 0; c < chunks.Count; c++)
            {
                var evidence = await loading.ConfigureAwait(false);
                if (c + 1 < chunks.Count)
                {
                    string[] next = chunks[c + 1];
                    loading = Task.Run(() => store.LoadEvidenceAsync(next, cancellation), cancellation);
                }

                var features = new (string, long, StudentFeatures)[evidence.Count];
                Parallel.For(0, evidence.Count, new ParallelOptions { CancellationToken = cancellation }, () => new FeatureExtractor(), (i, _, extractor) =>
                {
                    var student = evidence[i];
                    features[i] = (student.StudentId, student.EvidenceVersion, extractor.Extract(student.Utterances, student.Events));
                    return extractor;
                }, _ => { });
                await saving.ConfigureAwait(false);
                saving = store.SaveFeaturesAsync(features, cancellation);
            }
        }
        finally
        {
            // Neither left running past the call, even when a step failed.
            await Task.WhenAll(loading, saving).ConfigureAwait(false);
        }
    }

    private async Task<ImportResult> ImportFileAsync(ImportKind kind, string path, HashSet<string> touched, CancellationToken cancellation)
    {
        string name = ImportFile.ContentName(path);
        bool jsonl = name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

        // A damaged gzip file fails as an IOException naming it (ImportFile); the batches before the damage
        // are written, and a re-import of the mended file skips them.
        using IDisposable file = jsonl ? ImportFile.OpenUtf8(path) : ImportFile.OpenText(path);
        var rows = file is Stream bytes ? ParseJsonl(kind, bytes, cancellation) : Parse(kind, ImportRows.Csv((TextReader)file));
        return await ImportAsync(kind, path, rows, touched, cancellation).ConfigureAwait(false);
    }

    /// <summary>JSONL rows parsed on every core, chunk by chunk, in file order: parsing, not the database, bounded an evidence import.</summary>
    private IAsyncEnumerable<ParsedRow> ParseJsonl(ImportKind kind, Stream stream, CancellationToken cancellation) =>
        OrderedParallel.Map(JsonlRows.Chunks(stream), chunk =>
        {
            var parsed = new List<ParsedRow>(chunk.Length / 96);
            foreach (var row in new JsonlRows().Rows(chunk))
            {
                parsed.Add(Parse(kind, row));
            }

            return parsed;
        }, ParseAhead, cancellation);

    /// <summary>Rows parsed one after another (CSV files and JSON arrays: roster files and ratings, which are small).</summary>
    private IAsyncEnumerable<ParsedRow> Parse(ImportKind kind, IEnumerable<ImportRow> rows) => ParseEach(kind, rows).ToAsyncEnumerable();

    private IEnumerable<ParsedRow> ParseEach(ImportKind kind, IEnumerable<ImportRow> rows)
    {
        foreach (var row in rows)
        {
            yield return Parse(kind, row);
        }
    }

    private ParsedRow Parse(ImportKind kind, ImportRow row)
    {
        if (row.Problem is not null)
        {
            return new ParsedRow(row.Line, null, row.Problem);
        }

        var (record, problem) = Parse(kind, row.Fields);
        return new ParsedRow(row.Line, record, problem);
    }

    private async Task<ImportResult> ImportAsync(ImportKind kind, string source, IAsyncEnumerable<ParsedRow> rows, HashSet<string> touched, CancellationToken cancellation)
    {
        var errors = new List<ImportError>();
        long read = 0, written = 0, unchanged = 0, rejected = 0;
        var batch = new List<(long Line, object Record)>(BatchRows);
        var seen = new RosterIds();

        void Reject(long line, string message)
        {
            rejected++;
            if (errors.Count < ImportResult.ListedErrors)
            {
                errors.Add(new ImportError(line, message));
            }
        }

        // One batch is written while the next is parsed, instead of the database and the parser taking
        // turns. Writes still go one at a time, in file order.
        var writing = Task.CompletedTask;
        async Task WriteValid(List<object> valid)
        {
            int changed = await Write(kind, valid, touched, cancellation).ConfigureAwait(false);
            written += changed;
            unchanged += valid.Count - changed;
        }

        async Task Flush()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var valid = await CheckReferences(batch, seen, Reject, cancellation).ConfigureAwait(false);
            batch.Clear();
            await writing.ConfigureAwait(false);
            writing = Task.Run(() => WriteValid(valid), cancellation);
        }

        try
        {
            await foreach (var row in rows.ConfigureAwait(false))
            {
                read++;
                if (row.Problem is not null)
                {
                    Reject(row.Line, row.Problem);
                    continue;
                }

                batch.Add((row.Line, row.Record!));
                if (batch.Count == BatchRows)
                {
                    await Flush().ConfigureAwait(false);
                }
            }

            await Flush().ConfigureAwait(false);
        }
        finally
        {
            // Not left running past the call, even when reading failed.
            await writing.ConfigureAwait(false);
        }

        errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new ImportResult(ImportKinds.Name(kind), source, read, written, unchanged, rejected, errors);
    }

    /// <summary>Drops rows naming roster entries that exist neither in the database nor earlier in this import.</summary>
    private async Task<List<object>> CheckReferences(List<(long Line, object Record)> batch, RosterIds seen, Action<long, string> reject, CancellationToken cancellation)
    {
        // Evidence rows come a student at a time: a reference equal to the row before's is not looked up again.
        var references = new Dictionary<RosterTable, HashSet<string>>();
        var named = new (RosterTable Table, string Id)[MaxReferences];
        (RosterTable Table, string Id) previous = default;
        foreach (var (_, record) in batch)
        {
            int count = References(record, named);
            for (int i = 0; i < count; i++)
            {
                if (named[i] == previous)
                {
                    continue;
                }

                previous = named[i];
                if (!references.TryGetValue(named[i].Table, out var ids))
                {
                    references[named[i].Table] = ids = new HashSet<string>(StringComparer.Ordinal);
                }

                ids.Add(named[i].Id);
            }
        }

        var existing = new Dictionary<RosterTable, IReadOnlySet<string>>();
        foreach (var (table, ids) in references)
        {
            ids.RemoveWhere(id => seen.Contains(table, id));
            existing[table] = await roster.ExistingAsync(table, ids, cancellation).ConfigureAwait(false);
        }

        var valid = new List<object>(batch.Count);
        (RosterTable Table, string Id) found = default;
        foreach (var (line, record) in batch)
        {
            string? missing = null;
            int count = References(record, named);
            for (int i = 0; i < count; i++)
            {
                var (table, id) = named[i];
                if (named[i] == found)
                {
                    continue;
                }

                if (!seen.Contains(table, id) && !existing[table].Contains(id))
                {
                    missing = $"{Singular(table)} \"{id}\" does not exist (import {Singular(table)}s first)";
                    break;
                }

                found = named[i];
            }

            if (missing is not null)
            {
                reject(line, missing);
                continue;
            }

            if (Own(record) is ({ } ownTable, { } ownId))
            {
                seen.Add(ownTable, ownId);
            }

            valid.Add(record);
        }

        return valid;
    }

    private async Task<int> Write(ImportKind kind, List<object> records, HashSet<string> touched, CancellationToken cancellation)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        if (kind is ImportKind.Utterances or ImportKind.Events)
        {
            var write = kind == ImportKind.Utterances
                ? await store.AddEvidenceAsync([.. records.Cast<Utterance>()], [], [], cancellation).ConfigureAwait(false)
                : await store.AddEvidenceAsync([], [.. records.Cast<BehaviorEvent>()], [], cancellation).ConfigureAwait(false);
            touched.UnionWith(write.Students);
            return write.Added;
        }

        return kind switch
        {
            ImportKind.Districts => await store.UpsertRosterAsync(RosterRows.Empty with { Districts = [.. records.Cast<District>()] }, cancellation).ConfigureAwait(false),
            ImportKind.Schools => await store.UpsertRosterAsync(RosterRows.Empty with { Schools = [.. records.Cast<School>()] }, cancellation).ConfigureAwait(false),
            ImportKind.Teachers => await store.UpsertRosterAsync(RosterRows.Empty with { Teachers = [.. records.Cast<Teacher>()] }, cancellation).ConfigureAwait(false),
            ImportKind.Classes => await store.UpsertRosterAsync(RosterRows.Empty with { Classes = [.. records.Cast<SchoolClass>()] }, cancellation).ConfigureAwait(false),
            ImportKind.Students => await store.UpsertRosterAsync(RosterRows.Empty with { Students = [.. records.Cast<Student>()] }, cancellation).ConfigureAwait(false),
            _ => (await store.AddEvidenceAsync([], [], [.. records.Cast<TeacherRating>()], cancellation).ConfigureAwait(false)).Added,
        };
    }

    private (object? Record, string? Problem) Parse(ImportKind kind, IReadOnlyDictionary<string, string?> row)
    {
        try
        {
            object record = kind switch
            {
                ImportKind.Districts => new District(Required(row, "id"), Required(row, "name")),
                ImportKind.Schools => new School(Required(row, "id"), Required(row, "district_id"), Required(row, "name")),
                ImportKind.Teachers => new Teacher(Required(row, "id"), Required(row, "school_id"), Required(row, "name"), Email(row)),
                ImportKind.Classes => new SchoolClass(Required(row, "id"), Required(row, "school_id"), Required(row, "name"), Grade(row), Required(row, "teacher_id")),
                ImportKind.Students => new Student(Required(row, "id"), Required(row, "class_id"), Required(row, "first_name"), Required(row, "last_name"), Grade(row)),
                ImportKind.Utterances => new Utterance(Required(row, "student_id"), Required(row, "session_id"), Time(row), Required(row, "source"), Text(row), Optional(row, "id")),
                ImportKind.Events => new BehaviorEvent(Required(row, "student_id"), Required(row, "session_id"), Time(row), Required(row, "kind"),
                    Optional(row, "task_id"), Latency(row), Optional(row, "id")),
                _ => new TeacherRating(Required(row, "student_id"), Required(row, "teacher_id"), Skill(row), Rating(row), Time(row)),
            };
            return (record, null);
        }
        catch (FormatException exception)
        {
            return (null, exception.Message);
        }
    }

    private const int MaxReferences = 2;

    /// <summary>The roster entries a row names, into <paramref name="named"/> (no list per row: an evidence file has millions); returns how many.</summary>
    private static int References(object record, (RosterTable Table, string Id)[] named)
    {
        switch (record)
        {
            case BehaviorEvent e:
                named[0] = (RosterTable.Students, e.StudentId);
                return 1;
            case Utterance u:
                named[0] = (RosterTable.Students, u.StudentId);
                return 1;
            case TeacherRating r:
                (named[0], named[1]) = ((RosterTable.Students, r.StudentId), (RosterTable.Teachers, r.TeacherId));
                return 2;
            case School s:
                named[0] = (RosterTable.Districts, s.DistrictId);
                return 1;
            case Teacher t:
                named[0] = (RosterTable.Schools, t.SchoolId);
                return 1;
            case SchoolClass c:
                (named[0], named[1]) = ((RosterTable.Schools, c.SchoolId), (RosterTable.Teachers, c.TeacherId));
                return 2;
            case Student s:
                named[0] = (RosterTable.Classes, s.ClassId);
                return 1;
            default:
                return 0;
        }
    }

    /// <summary>The roster entry a row adds, so later rows of the same import may name it.</summary>
    private static (RosterTable? Table, string? Id) Own(object record) => record switch
    {
        District d => (RosterTable.Districts, d.Id),
        School s => (RosterTable.Schools, s.Id),
        Teacher t => (RosterTable.Teachers, t.Id),
        SchoolClass c => (RosterTable.Classes, c.Id),
        Student s => (RosterTable.Students, s.Id),
        _ => (null, null),
    };

    private static string Singular(RosterTable table) => table switch
    {
        RosterTable.Districts => "district",
        RosterTable.Schools => "school",
        RosterTable.Teachers => "teacher",
        RosterTable.Classes => "class",
        _ => "student",
    };

    private static string Required(IReadOnlyDictionary<string, string?> row, string field)
    {
        string? value = Optional(row, field);
        if (value is null)
        {
            throw new FormatException($"\"{field}\" is required");
        }

        if (value.Length > 200)
        {
            throw new FormatException($"\"{field}\" is longer than 200 characters");
        }

        return value;
    }

    private static string? Optional(IReadOnlyDictionary<string, string?> row, string field) =>
        row.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string Email(IReadOnlyDictionary<string, string?> row)
    {
        string email = Required(row, "email");
        return email.IndexOf('@', StringComparison.Ordinal) > 0 ? email : throw new FormatException($"\"email\" is not an email address: \"{email}\"");
    }

    private static int Grade(IReadOnlyDictionary<string, string?> row)
    {
        string text = Required(row, "grade");
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int grade) && grade is >= 0 and <= 13
            ? grade
            : throw new FormatException($"\"grade\" must be a whole number from 0 (kindergarten) to 13, not \"{text}\"");
    }

    private static DateTime Time(IReadOnlyDictionary<string, string?> row)
    {
        string text = Required(row, "at");
        if (IsoTime.TryParseCommon(text, out var common))
        {
            return common;
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? DateTime.SpecifyKind(at, DateTimeKind.Utc)
            : throw new FormatException($"\"at\" must be an ISO 8601 time such as 2026-09-14T10:30:00Z, not \"{text}\"");
    }

    private static string Text(IReadOnlyDictionary<string, string?> row)
    {
        string? text = row.TryGetValue("text", out var value) ? value?.Trim() : null;
        if (string.IsNullOrEmpty(text))
        {
            throw new FormatException("\"text\" is required");
        }

        return text.Length <= MaxTextLength ? text : throw new FormatException($"\"text\" is longer than {MaxTextLength:N0} characters");
    }

    private static double? Latency(IReadOnlyDictionary<string, string?> row)
    {
        string? text = Optional(row, "latency_ms");
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double latency) && double.IsFinite(latency) && latency >= 0
            ? latency
            : throw new FormatException($"\"latency_ms\" must be a non-negative number of milliseconds, not \"{text}\"");
    }

    private string Skill(IReadOnlyDictionary<string, string?> row)
    {
        string skill = Required(row, "skill");
        return catalog.IndexOf(skill) >= 0 ? skill : throw new FormatException($"\"{skill}\" is not a skill ({string.Join(", ", catalog.Skills)})");
    }

    private static int Rating(IReadOnlyDictionary<string, string?> row)
    {
        string text = Required(row, "rating");
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int rating) && rating is >= 1 and <= 4
            ? rating
            : throw new FormatException($"\"rating\" must be 1, 2, 3 or 4, not \"{text}\"");
    }
}
