using System.Text;
using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Skills;

namespace Skillscope.Assessment.Synthetic;

/// <summary>
/// A seeded synthetic district. Each student gets latent skill levels (correlated through a general
/// factor), transcripts built from phrase banks whose moves follow those levels, game telemetry whose
/// rates follow them, and noisy teacher ratings. Every student is generated from its own seed, so the
/// roster streams and any student can be regenerated alone, in parallel, identically. A drifted term
/// (<c>drift</c> above 0) is the same students a term later: their skills have moved, and the evidence shows
/// them differently — a new learning game in which strong problem solvers use hints and resilient students
/// move on rather than retry, and classroom language that says less — while teachers still rate the skills
/// themselves. Models trained on the term before misread it; models trained on it read it.
/// </summary>
public sealed class DistrictGenerator
{
    private const int StudentsPerClass = 25;
    private const int ClassesPerSchool = 20;
    private const double GeneralFactor = 0.45;
    /// <summary>Evidence is spread over this many days from the term's start.</summary>
    public const int TermDays = 88;

    private static readonly DateTime DefaultTermStart = new(2026, 9, 7, 8, 0, 0, DateTimeKind.Utc);

    private static readonly string[] FirstNames =
    [
        "Ava", "Liam", "Maya", "Noah", "Zara", "Ethan", "Priya", "Leo", "Amara", "Lucas", "Sofia", "Omar", "Chloe", "Mateo", "Hana",
        "Jonah", "Aisha", "Felix", "Nora", "Kai", "Isla", "Diego", "Mila", "Arjun", "Ruby", "Elias", "Yara", "Theo", "Lena", "Samir",
        "Grace", "Tomas", "Ines", "Caleb", "Mei", "Jude", "Alma", "Rafael", "Nia", "Oscar",
    ];

    private static readonly string[] LastNames =
    [
        "Garcia", "Nguyen", "Smith", "Okafor", "Kowalski", "Haddad", "Johnson", "Tanaka", "Silva", "Brown", "Patel", "Müller", "Rossi",
        "Kim", "Dubois", "Hernandez", "Cohen", "Ivanova", "Mensah", "Larsen", "Ahmed", "Walker", "Costa", "Novak", "Reyes", "Fischer",
        "Osei", "Moreau", "Yilmaz", "Park",
    ];

    private readonly int _seed;
    private readonly SkillCatalog _skills;
    private readonly double _drift;

    /// <param name="seed">Everything generated follows from it (and <paramref name="termStart"/>).</param>
    /// <param name="skills">The skills (default: the seven of the spec).</param>
    /// <param name="termStart">When the term began (UTC); evidence falls in the <see cref="TermDays"/> days after. Default: 7 September 2026.</param>
    /// <param name="drift">0 (the default): the first term. Up to 1: how far the students' skills and the way evidence shows them moved since.</param>
    public DistrictGenerator(int seed, SkillCatalog? skills = null, DateTime? termStart = null, double drift = 0)
    {
        if (drift is not (>= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(drift), drift, "drift is between 0 and 1");
        }
        _seed = seed;
        _skills = skills ?? SkillCatalog.Default;
        _drift = drift;
        TermStart = termStart ?? DefaultTermStart;
    }

    /// <summary>
    /// A term that ended a few hours before <paramref name="now"/>: all its evidence is within the last 90
    /// days (the default retention period) and none is in the future. Whole hours, so that the same seed
    /// within the same hour gives the same district.
    /// </summary>
    public static DateTime RecentTermStart(DateTime now) =>
        new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(-(TermDays + 1.5) * 24);

    public DateTime TermStart { get; }

    /// <summary>The roster of a district with <paramref name="students"/> students.</summary>
    public SyntheticRoster Roster(int students)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(students, 1);
        var random = new Random(_seed);
        var district = new District("d1", "Riverside Unified (synthetic)");
        int classes = (students + StudentsPerClass - 1) / StudentsPerClass;
        int schoolCount = (classes + ClassesPerSchool - 1) / ClassesPerSchool;
        var schools = Enumerable.Range(1, schoolCount).Select(s => new School($"s{s}", district.Id, $"{LastNames[(s * 7) % LastNames.Length]} School {s}")).ToList();
        var teachers = new List<Teacher>(classes);
        var classList = new List<SchoolClass>(classes);
        for (int c = 0; c < classes; c++)
        {
            var school = schools[c / ClassesPerSchool];
            string first = FirstNames[random.Next(FirstNames.Length)], last = LastNames[random.Next(LastNames.Length)];
            var teacher = new Teacher($"t{c + 1}", school.Id, $"{first} {last}", $"{first.ToLowerInvariant()}.{Ascii(last)}{c + 1}@riverside.example");
            teachers.Add(teacher);
            int grade = 3 + (c % 10);
            classList.Add(new SchoolClass($"c{c + 1}", school.Id, $"Grade {grade} – {(char)('A' + (c / 10 % 26))}", grade, teacher.Id));
        }

        var studentList = new List<Student>(students);
        for (int i = 0; i < students; i++)
        {
            var schoolClass = classList[i / StudentsPerClass];
            studentList.Add(new Student($"st{i + 1:D7}", schoolClass.Id, FirstNames[random.Next(FirstNames.Length)], LastNames[random.Next(LastNames.Length)], schoolClass.Grade));
        }

        return new SyntheticRoster(district, schools, teachers, classList, studentList);
    }

    /// <summary>A student's latent skills and evidence; depends only on the seed and the student's position.</summary>
    public GeneratedStudent Evidence(Student student, int index, string teacherId)
    {
        ArgumentNullException.ThrowIfNull(student);
        var random = new Random(StudentSeed(index));
        int k = _skills.Skills.Count;
        double general = RandomDraws.Normal(random);
        var latent = new double[k];
        for (int s = 0; s < k; s++)
        {
            latent[s] = (GeneralFactor * general) + (Math.Sqrt(1 - (GeneralFactor * GeneralFactor)) * RandomDraws.Normal(random));
        }

        if (_drift > 0)
        {
            // The skills moved since the term before, from a stream of their own: the first term's draws stay as they were.
            var moved = new Random(StudentSeed(index) ^ 0x5EED);
            for (int s = 0; s < k; s++)
            {
                latent[s] = (latent[s] * (1 - (0.3 * _drift))) + (0.6 * _drift * RandomDraws.Normal(moved));
            }
        }

        // Some students have no transcripts, some no game data: sources go missing in real districts too.
        var utterances = random.NextDouble() < 0.08 ? [] : Transcript(student, latent, random);
        var events = random.NextDouble() < 0.06 ? [] : Telemetry(student, latent, random);
        var ratings = new List<TeacherRating>(k);
        for (int s = 0; s < k; s++)
        {
            int rating = (int)Math.Clamp(Math.Round(2.5 + (0.85 * latent[s]) + (0.55 * RandomDraws.Normal(random))), 1, 4);
            ratings.Add(new TeacherRating(student.Id, teacherId, _skills.Skills[s], rating, TermStart.AddDays(60)));
        }

        return new GeneratedStudent(student, latent, utterances, events, ratings);
    }

    /// <summary>The whole district, student by student (roster first: it is small).</summary>
    public IEnumerable<GeneratedStudent> Students(SyntheticRoster roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var teacherOf = roster.Classes.ToDictionary(c => c.Id, c => c.TeacherId, StringComparer.Ordinal);
        for (int i = 0; i < roster.Students.Count; i++)
        {
            yield return Evidence(roster.Students[i], i, teacherOf[roster.Students[i].ClassId]);
        }
    }

    private List<Utterance> Transcript(Student student, double[] latent, Random random)
    {
        double communication = Level(latent, SkillCatalog.Communication);
        int count = 4 + RandomDraws.Poisson(random, 16 * Math.Exp(0.35 * communication));
        var weights = new double[PhraseBank.Moves.Length];
        for (int m = 0; m < weights.Length; m++)
        {
            var move = PhraseBank.Moves[m];
            double level = move.Skill == "perspective" ? Level(latent, SkillCatalog.Empathy) : Level(latent, move.Skill);
            weights[m] = 0.35 * Math.Exp((move.Positive ? 1 : -1) * (1.3 - _drift) * level);
        }

        double neutral = 1.2;
        double total = weights.Sum() + neutral;
        var utterances = new List<Utterance>(count);
        var text = new StringBuilder();
        for (int u = 0; u < count; u++)
        {
            text.Clear();
            int sentences = 1 + RandomDraws.Poisson(random, 0.6 * Math.Exp(0.4 * communication));
            for (int s = 0; s < Math.Min(sentences, 4); s++)
            {
                double pick = random.NextDouble() * total;
                string[] templates = PhraseBank.Neutral;
                for (int m = 0; m < weights.Length; m++)
                {
                    pick -= weights[m];
                    if (pick < 0)
                    {
                        templates = PhraseBank.Moves[m].Templates;
                        break;
                    }
                }

                if (text.Length > 0)
                {
                    text.Append(' ');
                }

                text.Append(Fill(templates[random.Next(templates.Length)], random));
            }

            var at = TermStart.AddDays(random.Next(0, TermDays)).AddMinutes(random.Next(0, 400));
            string session = $"disc-{student.ClassId}-{random.Next(1, 40)}";
            utterances.Add(new Utterance(student.Id, session, at, random.NextDouble() < 0.8 ? "discussion" : "written", text.ToString()));
        }

        utterances.Sort((a, b) => a.At.CompareTo(b.At));
        return utterances;
    }

    private List<BehaviorEvent> Telemetry(Student student, double[] latent, Random random)
    {
        double problemSolving = Level(latent, SkillCatalog.ProblemSolving), resilience = Level(latent, SkillCatalog.Resilience);
        double growth = Level(latent, SkillCatalog.GrowthMindset), collaboration = Level(latent, SkillCatalog.Collaboration);
        double regulation = Level(latent, SkillCatalog.SelfRegulation), communication = Level(latent, SkillCatalog.Communication);
        var events = new List<BehaviorEvent>();
        int sessions = 2 + RandomDraws.Poisson(random, 7 * Math.Exp(0.15 * (growth + resilience)));
        for (int s = 0; s < sessions; s++)
        {
            string session = $"game-{student.Id}-{s + 1}";
            var at = TermStart.AddDays((s * (double)TermDays / sessions) + random.NextDouble()).AddHours(random.Next(0, 6));
            events.Add(new BehaviorEvent(student.Id, session, at, BehaviorKinds.SessionStarted));
            for (int c = RandomDraws.Poisson(random, Math.Exp(0.2 + ((0.8 - (1.2 * _drift)) * collaboration))); c > 0; c--)
            {
                // Seconds apart, so no two events of a student are identical rows (an import keys rows by content).
                events.Add(new BehaviorEvent(student.Id, session, at.AddMinutes(random.Next(1, 40)).AddSeconds(c), BehaviorKinds.CollaborationAction));
            }

            int tasks = 2 + random.Next(5);
            for (int t = 0; t < tasks; t++)
            {
                string task = $"task-{t + 1}";
                events.Add(new BehaviorEvent(student.Id, session, at, BehaviorKinds.TaskStarted, task));
                for (int h = RandomDraws.Poisson(random, Math.Exp(-0.6 - ((0.6 - (1.2 * _drift)) * problemSolving))); h > 0; h--)
                {
                    events.Add(new BehaviorEvent(student.Id, session, at.AddMinutes(1).AddSeconds(h), BehaviorKinds.HintUsed, task));
                }

                if (random.NextDouble() < RandomDraws.Sigmoid(-1.6 + ((0.4 - (0.8 * _drift)) * communication) - (0.3 * regulation)))
                {
                    events.Add(new BehaviorEvent(student.Id, session, at.AddMinutes(2), BehaviorKinds.HelpRequested, task));
                }

                double latency = Math.Exp(1.6 + ((0.35 - (0.7 * _drift)) * regulation) + (0.4 * RandomDraws.Normal(random))) * 1000;
                events.Add(new BehaviorEvent(student.Id, session, at.AddMinutes(1), BehaviorKinds.Response, task, Math.Round(latency)));
                at = at.AddMinutes(Math.Exp(1.5 + (0.25 * resilience) + (0.3 * RandomDraws.Normal(random))));
                bool failed = random.NextDouble() < RandomDraws.Sigmoid(-0.4 - (1.0 * problemSolving));
                int attempts = 0;
                while (failed && attempts < 3)
                {
                    events.Add(new BehaviorEvent(student.Id, session, at, BehaviorKinds.TaskFailed, task));
                    if (random.NextDouble() >= RandomDraws.Sigmoid(0.1 + ((1.0 - (1.4 * _drift)) * resilience) + (0.6 * growth)))
                    {
                        break;
                    }

                    events.Add(new BehaviorEvent(student.Id, session, at.AddSeconds(20), BehaviorKinds.Retry, task));
                    at = at.AddMinutes(Math.Exp(1.2 + (0.3 * RandomDraws.Normal(random))));
                    failed = random.NextDouble() < RandomDraws.Sigmoid(-0.9 - (1.0 * problemSolving));
                    attempts++;
                }

                if (!failed)
                {
                    events.Add(new BehaviorEvent(student.Id, session, at, BehaviorKinds.TaskCompleted, task));
                }
            }
        }

        return events;
    }

    /// <summary>SplitMix64 of (seed, index): stable across processes and runtimes, unlike <see cref="HashCode"/>.</summary>
    private int StudentSeed(int index)
    {
        ulong z = ((ulong)(uint)_seed << 32) + (ulong)(uint)index + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    private double Level(double[] latent, string skill)
    {
        int index = _skills.IndexOf(skill);
        return index >= 0 ? latent[index] : 0;
    }

    private static string Fill(string template, Random random)
    {
        var text = new StringBuilder(template.Length + 32);
        int i = 0;
        while (i < template.Length)
        {
            int open = template.IndexOf('{', i);
            if (open < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }

            int close = template.IndexOf('}', open);
            text.Append(template, i, open - i);
            var choices = PhraseBank.Slots[template[(open + 1)..close]];
            text.Append(choices[random.Next(choices.Length)]);
            i = close + 1;
        }

        if (text.Length > 0 && char.IsLower(text[0]))
        {
            text[0] = char.ToUpperInvariant(text[0]);
        }

        return text.ToString();
    }

    private static string Ascii(string name) => new([.. name.ToLowerInvariant().Normalize(NormalizationForm.FormD).Where(char.IsAsciiLetter)]);
}
