namespace Skillscope.Server.Reports;

/// <summary>The PDF reports' fonts are not on this machine: the server answers 503 with how to mend it.</summary>
public sealed class ReportFontsMissingException(string message) : Exception(message);
