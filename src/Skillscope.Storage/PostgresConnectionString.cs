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
            return text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                ? FromUrl(new Uri(text))
                : new NpgsqlConnectionStringBuilder(text).ConnectionString;
        }
        catch (Exception exception) when (exception is ArgumentException or UriFormatException or FormatException or InvalidCastException)
        {
            // The parser's own message can quote part of the string (a password, say): only the forms are named.
            throw new FormatException(
                "the PostgreSQL connection string is not valid; write it as Host=…;Port=…;Database=…;Username=…;Password=… or postgresql://user:password@host:port/database[?sslmode=…]",
                exception);
        }
    }

    private static string FromUrl(Uri url)
    {
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

        // The options libpq's URLs carry that matter here. Any other is refused rather than dropped: a
        // dropped sslmode would quietly weaken the connection.
        foreach (string pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)) : (pair, "");
            switch (key)
            {
                case "sslmode":
                    builder.SslMode = value.ToLowerInvariant() switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new FormatException("sslmode is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                    };
                    break;
                case "sslrootcert":
                    builder.RootCertificate = value;
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new FormatException($"the URL option {key} is not supported");
            }
        }

        return builder.ConnectionString;
    }
}
