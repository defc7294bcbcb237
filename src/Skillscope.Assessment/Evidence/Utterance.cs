namespace Skillscope.Assessment.Evidence;

/// <summary>Something a student said or wrote: class-discussion speech-to-text output or a written response.</summary>
/// <param name="StudentId">Who said it.</param>
/// <param name="SessionId">The discussion or assignment it belongs to.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Source">Where it came from, e.g. <c>discussion</c> or <c>written</c>.</param>
/// <param name="Text">What was said.</param>
/// <param name="Id">The source system's id, when it has one; otherwise the utterance is identified by its content.</param>
public sealed record Utterance(string StudentId, string SessionId, DateTime At, string Source, string Text, string? Id = null);
