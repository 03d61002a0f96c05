using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IntegrationHub.Platform;

/// <summary>Opens SQLite files the way every store of ours wants them: WAL, a busy timeout, the schema in place.</summary>
public static class SqliteStore
{
    /// <summary>
    /// Microsoft.Data.Sqlite retries a busy database until the command timeout passes, so the
    /// default timeout is our busy timeout.
    /// </summary>
    public static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();

    /// <summary>Configures a context for one of our SQLite files.</summary>
    public static DbContextOptionsBuilder UseSqliteStore(this DbContextOptionsBuilder builder, string path) =>
        builder.UseSqlite(ConnectionString(path)).AddInterceptors(SecureDelete.Instance);

    /// <summary>Creates the schema if missing and switches the file to WAL (a persistent property of the file).</summary>
    public static void Prepare(DbContext context)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(context.Database.GetDbConnection().DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        context.Database.EnsureCreated();
        context.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }

    /// <summary>
    /// Copies every committed page into the database file and empties the WAL file. With secure_delete
    /// SQLite overwrites erased content in the pages it writes, but the WAL keeps the earlier images of
    /// those pages, values included, until a checkpoint: after an erasure nothing may remain (Art. 17
    /// GDPR). False when a reader held the WAL and the checkpoint could not finish; the next one will.
    /// </summary>
    public static async Task<bool> Checkpoint(DbContext context, CancellationToken cancellationToken)
    {
        var connection = context.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) == 0;
    }

    /// <summary>
    /// Per-connection settings. Erased means erased (Art. 17 GDPR): with secure_delete, SQLite
    /// overwrites deleted content instead of leaving it in free pages of the file. synchronous=FULL:
    /// a committed transaction survives a power cut, because a message is acknowledged to the broker
    /// only after its commit.
    /// </summary>
    private sealed class SecureDelete : DbConnectionInterceptor
    {
        public static readonly SecureDelete Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => ApplyConnectionSettings(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            ApplyConnectionSettings(connection);
            return Task.CompletedTask;
        }
    }

    /// <summary>The per-connection settings of <see cref="SecureDelete"/>, for a connection opened without EF Core.</summary>
    public static void ApplyConnectionSettings(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA secure_delete = ON; PRAGMA synchronous = FULL;";
        command.ExecuteNonQuery();
    }
}
