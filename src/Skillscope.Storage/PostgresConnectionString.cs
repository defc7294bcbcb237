using Npgsql;

namespace Skillscope.Storage;

/// <summary>
/// A PostgreSQL connection string as people write them: Npgsql's <c>Host=…;Database=…</c> form, or the
/// URL form that psql, pg_dump and most hosting providers use (<c>postgresql://user:password@host:port/database</c>).
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>The Npgsql form of <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">Neither form parses; the message never repeats the string (it may hold a password).</exception>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        try
        {
            if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            {
                var url = new Uri(text);
                var builder = new NpgsqlConnectionStringBuilder { Host = url.Host, Port = url.IsDefaultPort || url.Port < 0 ? 5432 : url.Port };
                if (url.AbsolutePath.Trim('/') is { Length: > 0 } database)
                {
                    builder.Database = Uri.UnescapeDataString(database);
                }

                if (url.UserInfo.Split(':', 2) is [var user, ..] parts && user.Length > 0)
                {
                    builder.Username = Uri.UnescapeDataString(user);
                    builder.Password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
                }

                return builder.ConnectionString;
            }

            return new NpgsqlConnectionStringBuilder(text).ConnectionString;
        }
        catch (Exception exception) when (exception is ArgumentException or UriFormatException or FormatException or InvalidCastException)
        {
            throw new FormatException(
                $"the PostgreSQL connection string is not valid ({exception.Message}); write it as Host=…;Port=…;Database=…;Username=…;Password=… or postgresql://user:password@host:port/database",
                exception);
        }
    }
}
