namespace Skillscope.Trees.Training;

/// <summary>
/// Training cannot start or continue: the data or the hyper-parameters are unusable. The message names
/// the problem (the parameter, the row, the label) for a person to fix.
/// </summary>
public sealed class TrainingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, for a person.</param>
    public TrainingException(string message)
        : base(message)
    {
    }
}
