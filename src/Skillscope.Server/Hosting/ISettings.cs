namespace Skillscope.Server.Hosting;

/// <summary>A section of settings that can say what is wrong with it, naming the setting.</summary>
internal interface ISettings
{
    /// <summary>Why these settings cannot work (naming the setting and its value), or null.</summary>
    string? Problem();
}
