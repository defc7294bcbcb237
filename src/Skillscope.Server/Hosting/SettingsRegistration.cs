using Microsoft.Extensions.Options;

namespace Skillscope.Server.Hosting;

/// <summary>
/// Binds a settings class to its configuration section and checks it when the host starts: settings that
/// cannot work stop the start with a message naming the setting, not a request or a worker later.
/// </summary>
internal static class SettingsRegistration
{
    public static IServiceCollection AddSettings<TSettings>(this IServiceCollection services, string section)
        where TSettings : class, ISettings
    {
        services.AddOptions<TSettings>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TSettings>, Validator<TSettings>>();
        return services;
    }

    private sealed class Validator<TSettings> : IValidateOptions<TSettings>
        where TSettings : class, ISettings
    {
        public ValidateOptionsResult Validate(string? name, TSettings options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
