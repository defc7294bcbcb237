namespace Skillscope.Assessment.Synthetic;

/// <summary>
/// Sentence moves for generated transcripts. Each move is a set of templates whose <c>{slot}</c>s are
/// filled from word banks, so a thousand students do not say the same sentence. Moves are tied to a
/// skill and a direction: students high in a skill make its positive moves more often, students low in
/// it its negative ones.
/// </summary>
internal static class PhraseBank
{
    public sealed record Move(string Skill, bool Positive, string[] Templates);

    public static readonly IReadOnlyDictionary<string, string[]> Slots = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["topic"] = ["the story", "the experiment", "the fractions problem", "the poem", "the map project", "the science fair", "the book we read", "the debate", "the group project", "the volcano model", "the history timeline", "the recycling plan"],
        ["person"] = ["she", "he", "they", "Maya", "Leo", "my partner", "the new kid", "Sam", "Priya", "Jonah"],
        ["object"] = ["her", "him", "them", "Maya", "Leo", "my partner", "the new kid", "Sam"],
        ["feeling"] = ["hard", "frustrating", "scary", "lonely", "confusing", "embarrassing", "stressful"],
        ["action"] = ["draw a diagram", "split the work", "test it again", "make a list", "look at the example", "ask the teacher", "measure it twice", "vote on it", "start with the easy part", "write down our ideas", "check the numbers", "try a different method"],
        ["reason"] = ["the numbers did not match", "we ran out of time", "it was too heavy", "the first answer was wrong", "nobody could hear", "the instructions were unclear", "we forgot a step", "the pattern kept repeating"],
        ["result"] = ["it will balance", "we can finish on time", "everyone gets a turn", "the answer makes sense", "it should work", "we will see the pattern"],
        ["subject"] = ["math", "reading", "writing", "science", "spelling", "drawing"],
        ["calm"] = ["counted to ten", "took a deep breath", "asked for a minute", "went for a drink of water", "started again slowly"],
        ["opinion"] = ["the ending was surprising", "the main character was brave", "the experiment needed more tests", "our plan was too long", "the second idea was stronger", "the map needed a legend"],
    };

    public static readonly Move[] Moves =
    [
        new("empathy", true, ["I understand how {person} feels.", "That must be {feeling} for {object}.", "Are you okay?", "Maybe {person} felt left out, so I sat with {object}.", "I'm sorry that happened to you.", "Don't worry, I can help you with {topic}.", "How do you feel about {topic}?"]),
        new("empathy", false, ["That's not my problem.", "Whatever, I don't care.", "{person} is just being dramatic.", "Why should I help {object}?"]),
        new("perspective", true, ["If I were {object}, I would feel upset too.", "From their point of view, {opinion}.", "Maybe they see it differently because {reason}.", "I tried to put myself in their shoes.", "Other people might think {opinion}."]),
        new("problem_solving", true, ["I think we should {action} because {reason}.", "If we {action}, then {result}.", "First we {action}, then we check the numbers.", "Let me check {topic} again because {reason}.", "We could {action} instead, so {result}.", "I figured out that {reason}, so we need to {action}."]),
        new("problem_solving", false, ["I don't know.", "It's too hard, I can't do it.", "I just guessed.", "This makes no sense."]),
        new("collaboration", true, ["Let's {action} together.", "We could {action} and share the results.", "Can we {action} as a team?", "I agree with {person}, and we could also {action}.", "Building on what {person} said, we should {action}.", "Our group can {action} first."]),
        new("collaboration", false, ["I'll do it myself.", "I don't want to work with {object}.", "Just let me do {topic} alone."]),
        new("communication", true, ["In my opinion, {opinion}, and I think {opinion}.", "What do you think about {topic}?", "Could you explain why {reason}?", "I noticed that {opinion}, which surprised me.", "My main point is that {opinion}.", "To summarize, {opinion} and {result}."]),
        new("communication", false, ["Yeah.", "I guess.", "Dunno.", "It was fine."]),
        new("growth_mindset", true, ["I can't do it yet, but I'll keep practicing.", "I made a mistake, so I will try again.", "Mistakes help me learn {subject}.", "I want to get better at {subject}.", "This is a challenge, but I'm improving.", "Next time I will practice {subject} more."]),
        new("growth_mindset", false, ["I'm just not good at {subject}.", "Some people are smart and I'm not.", "I'll never get {subject}."]),
        new("resilience", true, ["It was hard, but I didn't give up.", "I'll try again tomorrow.", "Even though {reason}, we kept going.", "I failed the first time, so I tried a different way."]),
        new("resilience", false, ["I give up.", "I quit, this is impossible.", "I stopped because it was too hard."]),
        new("self_regulation", true, ["I was upset, so I {calm}.", "I waited for my turn to talk.", "I got frustrated, but I {calm} and kept working.", "I stayed calm when {reason}."]),
        new("self_regulation", false, ["This is so stupid!", "I hate this!", "I'm so mad right now!", "Stop it, this is annoying!"]),
    ];

    public static readonly string[] Neutral =
    [
        "I liked {topic}.", "{topic} was okay.", "We read about {topic} today.", "I finished {topic}.", "My favorite part was {topic}.",
        "I was talking about {topic}.", "We did {topic} in class.",
    ];
}
