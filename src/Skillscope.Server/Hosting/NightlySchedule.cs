namespace Skillscope.Server.Hosting;

/// <summary>
/// The nightly job's schedule from <c>Batch:Schedule</c> (cron, default <c>0 2 * * *</c>; <c>off</c>: none) and
/// <c>Batch:TimeZone</c> (default UTC), read when the host is built so that a setting that cannot work stops
/// the start, named, instead of failing in the background later.
/// </summary>
internal sealed record NightlySchedule(CronSchedule? Cron)
{
    /// <exception cref="FormatException">A setting cannot be used; the message names it.</exception>
    public static NightlySchedule From(IConfiguration configuration)
    {
        var batch = configuration.GetSection(BatchOptions.Section).Get<BatchOptions>() ?? new BatchOptions();
        return new NightlySchedule(batch.Schedule.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : CronSchedule.Parse(batch.Schedule, batch.TimeZone));
    }
}
