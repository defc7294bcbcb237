namespace Skillscope.Assessment.Assessing;

/// <summary>A partition's lease passed to another worker, or its job ended: this worker must stop work on it.</summary>
public sealed class JobLeaseLostException(string message) : Exception(message);
