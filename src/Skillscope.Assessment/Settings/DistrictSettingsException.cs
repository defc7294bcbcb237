namespace Skillscope.Assessment.Settings;

/// <summary>District settings that are not valid, or a change over an older version; nothing was changed.</summary>
public sealed class DistrictSettingsException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
