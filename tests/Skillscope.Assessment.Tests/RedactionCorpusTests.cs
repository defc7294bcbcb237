using System.Globalization;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Reasoning;
using Xunit;
using Xunit.Abstractions;

namespace Skillscope.Assessment.Tests;

/// <summary>
/// 200 generated sentences of the kinds transcripts hold, with personal data planted in most, taken
/// through the path a quote takes to the LLM: chosen as a sentence of an utterance by the feature
/// extractor, then redacted. None of the planted items may remain, and clean sentences must come through
/// unchanged. Still not caught (and not planted): a name off the roster written in lower case or with no
/// family word beside it, a nickname, an address without a house number.
/// </summary>
public sealed class RedactionCorpusTests(ITestOutputHelper output)
{
    private static readonly string[] Roster = ["Maya Okafor", "Liam Chen", "Ana Rivera", "Ms. Grace Lee", "Tomas Novak"];
    private static readonly string[] Outsiders = ["Kwame", "Rosa", "Lucia", "Diallo", "Zoe", "Priya", "Mateo", "Aiko", "Bilal", "Ingrid"];
    private static readonly string[] Family = ["brother", "sister", "cousin", "aunt", "uncle", "friend", "neighbour", "grandma", "babysitter", "coach"];
    private static readonly string[] Streets = ["Maple Street", "Oak Ave", "Elm Road", "Harbor Lane", "Pine Drive", "Cedar Court"];
    private static readonly string[] Domains = ["home.example.org", "school.example.net", "mail.example.com"];

    private static readonly string[] Clean =
    [
        "We could share the blocks so everyone gets a turn.",
        "I got 3.5 out of 4 on the quiz and 12 of 20 last week.",
        "I ran 5 laps down the road and felt proud.",
        "My brother helped me fix the tower after it fell.",
        "Yesterday, my friend and I finished the map together.",
        "I will try again tomorrow even if it is hard.",
        "Can we check the answer because it might be wrong?",
        "My Mom said the project was due on Monday.",
    ];

    [Fact]
    public void No_planted_personal_data_reaches_the_llm_and_clean_sentences_pass_unchanged()
    {
        var redactor = new Redactor(Roster);
        var random = new Random(17);
        int planted = 0, leaked = 0, cleanWords = 0, removedWords = 0;
        var leaks = new List<string>();
        for (int i = 0; i < 200; i++)
        {
            var (sentence, items) = i % 5 == 4 ? (Clean[random.Next(Clean.Length)], Array.Empty<string>()) : Planted(random);
            string utterance = $"We did the puzzle today. {sentence} It was fun!";
            string quote = FeatureExtractor.SentenceAround(utterance, utterance.IndexOf(sentence, StringComparison.Ordinal) + sentence.Length / 2);
            string sent = redactor.Redact(quote);
            if (items.Length == 0)
            {
                cleanWords += sentence.Split(' ').Length;
                removedWords += sent == sentence ? 0 : Math.Max(1, sentence.Split(' ').Except(sent.Split(' ')).Count());
                Assert.True(sent == sentence, $"a clean sentence changed: \"{sentence}\" → \"{sent}\"");
                continue;
            }

            Assert.Equal(sentence, quote); // the extractor quotes the whole sentence, e-mails and links included
            foreach (string item in items)
            {
                planted++;
                if (sent.Contains(item, StringComparison.OrdinalIgnoreCase))
                {
                    leaked++;
                    leaks.Add($"\"{item}\" in \"{sent}\"");
                }
            }
        }

        string report = string.Create(CultureInfo.InvariantCulture,
            $"{leaked} of {planted} planted items leaked ({100.0 * leaked / planted:0.0}%); {removedWords} of {cleanWords} clean words removed");
        output.WriteLine(report);
        Assert.True(leaked == 0, report + ":\n" + string.Join("\n", leaks));
        Assert.True(planted >= 200, report);
    }

    private static (string Sentence, string[] Items) Planted(Random random)
    {
        string outsider = Outsiders[random.Next(Outsiders.Length)], family = Family[random.Next(Family.Length)];
        string rosterFirst = Roster[random.Next(3)].Split(' ')[0], rosterLast = Roster[random.Next(3)].Split(' ')[1];
        string user = $"{rosterFirst.ToLowerInvariant()}.{outsider.ToLowerInvariant()}{random.Next(10, 99)}", domain = Domains[random.Next(Domains.Length)];
        string number = random.Next(1, 9999).ToString(CultureInfo.InvariantCulture), street = Streets[random.Next(Streets.Length)];
        string phone = $"{random.Next(200, 999)}-{random.Next(200, 999)}-{random.Next(1000, 9999)}";
        string handle = $"@{outsider.ToLowerInvariant()}_{random.Next(100, 999)}";
        string site = $"{outsider.ToLowerInvariant()}sworld.com/page{random.Next(1, 9)}";
        return random.Next(9) switch
        {
            0 => ($"I told my {family} {outsider} that {rosterFirst} was sad.", [outsider, rosterFirst]),
            1 => ($"{outsider}, my {family}, says I should email {user}@{domain} about it.", [outsider, user, domain]),
            2 => ($"We went to my {family} {outsider}'s house at {number} {street} after school.", [outsider, $"{number} {street}"]),
            3 => ($"Call my {family} at {phone} or text {rosterLast} later.", [phone, rosterLast]),
            4 => ($"My page is {site} and my handle is {handle}.", [site, handle]),
            5 => ($"Mr {outsider} lives at {number} {street}, Apt {random.Next(1, 40)} near Grandma {Outsiders[random.Next(Outsiders.Length)]}.", [outsider, $"{number} {street}"]),
            6 => ($"See https://{domain}/{rosterFirst.ToLowerInvariant()} or mail {user}@{domain}.", [domain, user, rosterFirst.ToLowerInvariant()]),
            7 => ($"{rosterFirst} {rosterLast} and my {family} named {outsider} built it at PO Box {number}.", [rosterFirst, rosterLast, outsider, $"Box {number}"]),
            _ => ($"I asked {rosterFirst} to share because my {family} {outsider} always shares with me.", [rosterFirst, outsider]),
        };
    }
}
