namespace Skillscope.Assessment.Training;

/// <summary>A retraining run that cannot be made (too few rated students); nothing was trained or registered.</summary>
public sealed class RetrainRefusedException(string message) : Exception(message);
