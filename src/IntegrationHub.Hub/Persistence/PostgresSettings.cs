using Npgsql;

namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// The PostgreSQL connection of the store as the hub's settings give it: an Npgsql connection string
/// or a postgres:// URL (POSTGRES_URL), checked, with the settings every hub connection needs added.
/// </summary>
public static class PostgresSettings
{
    /// <summary>
    /// The connection string of <paramref name="configured"/> (an Npgsql connection string) or, when it is
    /// empty, of the POSTGRES_URL environment variable; with the hub's own settings added.
    /// </summary>
    public static string ConnectionString(string? configured, string section) =>
        ConnectionString(configured, section, Environment.GetEnvironmentVariable(StoreEngine.UrlVariable));

    /// <param name="url">The value of POSTGRES_URL, used when <paramref name="configured"/> is empty.</param>
    public static string ConnectionString(string? configured, string section, string? url)
    {
        NpgsqlConnectionStringBuilder builder;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            try
            {
                builder = new NpgsqlConnectionStringBuilder(configured);
            }
            catch (ArgumentException ex)
            {
                // The string holds a password: name the setting and what is wrong with it, not the value.
                throw new StoreSettingsException($"{section}:PostgresConnection is not a valid Npgsql connection string ({ex.ParamName ?? "syntax"})");
            }
        }
        else if (!string.IsNullOrEmpty(url))
        {
            builder = FromUrl(url);
        }
        else
        {
            throw new StoreSettingsException(
                $"{section}:Store is '{StoreEngine.Postgres}' but there is no connection: set {section}:PostgresConnection (an Npgsql connection string) or {StoreEngine.UrlVariable} (postgres://user:password@host:port/database)");
        }

        if (string.IsNullOrEmpty(builder.Host) || string.IsNullOrEmpty(builder.Database))
        {
            throw new StoreSettingsException($"the PostgreSQL connection of {section}:Store names no host or no database");
        }

        // StoreRows runs the same few statements for every message: let Npgsql prepare them on the
        // server once per physical connection instead of parsing and planning them each time.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        // A message is acknowledged to the broker only after its commit, so a commit must be on disk
        // when it returns: synchronous_commit on (the server's default, stated here so that a server
        // configured with it off does not silently lose acknowledged messages in a crash).
        builder.Options = $"{builder.Options} -c synchronous_commit=on".Trim();
        return builder.ConnectionString;
    }

    /// <summary>postgres://user:password@host:port/database[?sslmode=…] as an Npgsql connection string.</summary>
    public static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw new StoreSettingsException($"{StoreEngine.UrlVariable} must look like postgres://user:password@host:port/database");
        }

        var user = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            Username = user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : null,
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
        };
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)) : (pair, "");
            if (key != "sslmode" || !Enum.TryParse<SslMode>(value.Replace("-", ""), ignoreCase: true, out var mode))
            {
                throw new StoreSettingsException($"{StoreEngine.UrlVariable}: only the parameter sslmode (disable, prefer, require, verify-ca, verify-full) is understood, not '{key}'");
            }

            builder.SslMode = mode;
        }

        return builder;
    }
}
