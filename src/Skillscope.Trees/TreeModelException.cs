namespace Skillscope.Trees;

/// <summary>
/// The one exception the tree engine throws for a model it cannot load or an input it cannot score:
/// a damaged or unsupported model file, or a row of the wrong shape.
/// </summary>
/// <remarks>
/// Loading is all-or-nothing: when this is thrown, no partially built model escapes.
/// </remarks>
public sealed class TreeModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, for a person.</param>
    /// <param name="path">Where in the model document, as a JSON path (e.g. <c>$.learner.objective.name</c>), if it applies.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public TreeModelException(string message, string? path = null, Exception? innerException = null)
        : base(path is null ? message : $"{message} (at {path})", innerException)
    {
        Path = path;
    }

    /// <summary>The JSON path of the offending element, or null when the problem is not tied to one.</summary>
    public string? Path { get; }
}
