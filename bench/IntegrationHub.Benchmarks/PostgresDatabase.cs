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

        var database = new PostgresDatabase(PostgresStoreEngine.FromUrl(url).ConnectionString, $"{prefix}_{Guid.NewGuid():N}");
        database.Execute($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    /// <summary>
    /// User plus system CPU time so far of the server's backends connected to this database (their /proc entries,
    /// "postgres: user database …"); the server's shared processes (WAL writer, checkpointer) are not in it, nor
    /// backends that ended in between. Zero when the server runs where this process cannot see it.
    /// </summary>
    public TimeSpan BackendCpuTime()
    {
        var total = TimeSpan.Zero;
        foreach (var process in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)))
        {
            try
            {
                var command = File.ReadAllText($"/proc/{process}/cmdline").Replace('\0', ' ');
                if (command.StartsWith("postgres: ", StringComparison.Ordinal) && command.Contains($" {Name} ", StringComparison.Ordinal))
                {
                    total += ChildProcess.CpuTime(int.Parse(process!, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read.
            }
        }

        return total;
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
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
