using IntegrationHub.Hub.Persistence;
using Npgsql;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// An empty PostgreSQL database of its own, on the server that POSTGRES_URL names
/// (infrastructure/postgres/start-postgres.sh starts one and prints it), for one test or benchmark
/// phase: created at once, dropped (with whatever connections are still open to it) on dispose.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    private readonly string _server;

    private PostgresDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>An Npgsql connection string for <c>Hub:PostgresConnection</c>.</summary>
    public string ConnectionString { get; }

    public static PostgresDatabase Create(string prefix = "ih_test")
    {
        var url = Environment.GetEnvironmentVariable(StoreEngine.UrlVariable);
        if (string.IsNullOrEmpty(url))
        {
            throw new InvalidOperationException(
                $"{StoreEngine.UrlVariable} is not set: run infrastructure/postgres/start-postgres.sh (as root; infrastructure/run-tests.sh does) and export the URL it prints");
        }

        var database = new PostgresDatabase(PostgresSettings.FromUrl(url).ConnectionString, $"{prefix}_{Guid.NewGuid():N}");
        database.Execute($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();

        // FORCE ends our own connections, but not an autovacuum worker busy on the database (it runs as the
        // server's superuser, which we may not signal): that worker ends soon, so the drop is tried again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Execute($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 60)
            {
                Thread.Sleep(500);
            }
        }
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
