namespace Skillscope.Assessment.Features;

/// <summary>
/// The marker lexicons of feature set 1, written for Skillscope (small, plain-language word lists
/// chosen for how children and teenagers speak in class; not taken from any licensed lexicon).
/// docs/FEATURES.md lists them in full. <c>*</c> in a phrase matches any one word.
/// </summary>
public static class Lexicons
{
    public static Lexicon PositiveEmotion { get; } = new("positive_emotion",
    [
        "happy", "glad", "excited", "proud", "love", "loved", "enjoy", "enjoyed", "fun", "great", "awesome", "calm", "grateful",
        "thankful", "hopeful", "cheerful", "confident", "relieved", "joy", "wonderful", "amazing", "delighted", "comfortable",
        "safe", "brave", "thrilled",
    ]);

    public static Lexicon NegativeEmotion { get; } = new("negative_emotion",
    [
        "sad", "angry", "mad", "upset", "frustrated", "frustrating", "annoyed", "annoying", "scared", "afraid", "worried", "nervous",
        "hate", "stupid", "unfair", "boring", "terrible", "awful", "hurt", "lonely", "embarrassed", "anxious", "disappointed",
        "jealous", "furious", "crying", "cry", "stressed", "hopeless", "miserable", "dumb",
    ]);

    /// <summary>Evaluative words that are not emotions, counted for sentiment balance only.</summary>
    public static Lexicon PositiveEvaluation { get; } = new("positive_evaluation",
    [
        "good", "better", "best", "helpful", "kind", "fair", "right", "thanks", "thank", "cool", "easy", "interesting", "nice",
        "beautiful", "smart", "clear", "works", "worked", "fixed", "success",
    ]);

    public static Lexicon NegativeEvaluation { get; } = new("negative_evaluation",
    [
        "bad", "wrong", "worst", "worse", "hard", "difficult", "mean", "rude", "broken", "fail", "failed", "useless", "pointless",
        "impossible", "confusing", "messy",
    ]);

    public static Lexicon Empathy { get; } = new("empathy",
    [
        "i understand", "i'm sorry", "im sorry", "sorry that", "that must", "must feel", "must be hard", "must have been",
        "how do you feel", "how are you feeling", "how did you feel", "are you okay", "are you ok", "i can help", "can i help",
        "i feel bad for", "that sounds", "i know how", "it's okay", "its okay", "don't worry", "dont worry", "you feel",
        "she feels", "he feels", "they feel", "felt left out", "her feelings", "his feelings", "their feelings", "your feelings",
        "cheer * up", "be there for",
    ]);

    public static Lexicon PerspectiveTaking { get; } = new("perspective_taking",
    [
        "point of view", "in their shoes", "in her shoes", "in his shoes", "their side", "her side", "his side",
        "they might think", "she might think", "he might think", "they might feel", "she might feel", "he might feel",
        "maybe they", "maybe she", "maybe he", "if i were", "other people", "someone else", "they thought", "she thought",
        "he thought", "to them", "from their", "other side", "see it differently", "another way to see",
    ]);

    public static Lexicon Hedging { get; } = new("hedging",
    [
        "maybe", "perhaps", "probably", "possibly", "might", "somewhat", "guess", "seems", "apparently", "unsure",
        "i think", "kind of", "sort of", "not sure", "i guess", "could be", "i suppose",
    ]);

    public static Lexicon CognitiveProcess { get; } = new("cognitive_process",
    [
        "because", "since", "therefore", "so that", "so we", "so i", "if", "then", "reason", "why", "think", "thought", "understand", "realize", "realized",
        "figure", "figured", "solve", "solved", "plan", "strategy", "idea", "compare", "instead", "check", "checked", "evidence",
        "means", "cause", "result", "problem", "explain", "pattern", "test", "tested", "step",
    ]);

    public static Lexicon FutureTense { get; } = new("future_tense",
    [
        "will", "gonna", "tomorrow", "later", "soon", "next", "i'll", "we'll", "you'll", "they'll", "going to", "next time",
        "plan to", "want to try", "am going",
    ]);

    public static Lexicon GrowthLanguage { get; } = new("growth_language",
    [
        "yet", "practice", "practicing", "improve", "improving", "improved", "learn", "learning", "learned", "mistake", "mistakes",
        "effort", "challenge", "challenges", "challenging", "grow", "progress", "try again", "get better", "getting better",
        "keep trying", "don't give up", "dont give up", "not yet", "learn from",
    ]);

    public static Lexicon FirstPersonPlural { get; } = new("first_person_plural",
    [
        "we", "us", "our", "ours", "ourselves", "let's", "lets", "we're", "we'll", "we've", "together",
    ]);

    /// <summary>Openings that take up what a peer said: agreeing, disagreeing, building on.</summary>
    public static Lexicon PeerResponse { get; } = new("peer_response",
    [
        "i agree", "i disagree", "building on", "adding to", "to add", "good point", "what you said", "you said",
        "yes and", "yeah and", "i think so too", "me too", "that's true", "thats true", "like you said", "as * said",
    ]);

    public static IReadOnlyList<Lexicon> All { get; } =
    [
        PositiveEmotion, NegativeEmotion, PositiveEvaluation, NegativeEvaluation, Empathy, PerspectiveTaking, Hedging,
        CognitiveProcess, FutureTense, GrowthLanguage, FirstPersonPlural, PeerResponse,
    ];
}
