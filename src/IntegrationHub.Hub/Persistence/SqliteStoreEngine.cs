using System.Data.Common;
using IntegrationHub.Platform;
using IntegrationHub.Platform.Operations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// The store in one SQLite file (the default): embedded, nothing to operate, for one hub process on
/// one machine. SQLite lets one transaction write at a time, file-wide: that lock, which the writer
/// takes with BEGIN IMMEDIATE, is what keeps two hubs on one file apart.
/// </summary>
public sealed class SqliteStoreEngine(string path) : StoreEngine
{
    public override string Kind => Sqlite;

    public override string Location => path;

    // secure_delete and synchronous=FULL on every connection (SqliteStore's interceptor): erased content
    // is overwritten in the file, and a commit survives a power cut before its message is acknowledged.
    public override DbContextOptionsBuilder Use(DbContextOptionsBuilder builder) => builder.UseSqliteStore(path);

    public override DbContextOptionsBuilder UseReadOnly(DbContextOptionsBuilder builder) =>
        builder.UseSqlite(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, DefaultTimeout = 5 }.ToString());

    public override void Prepare(DbContext db) => SqliteStore.Prepare(db);

    // Opening a missing file read-only fails, and read-write would create an empty one: look first.
    public override bool Exists(DbContext db) => File.Exists(path);

    public override async Task<DbConnection> OpenWriterConnection(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(SqliteStore.ConnectionString(path));
        await connection.OpenAsync(cancellationToken);
        SqliteStore.ApplyConnectionSettings(connection);
        return connection;
    }

    /// <summary>
    /// Empties the WAL file: secure_delete overwrites erased values in the database file, but the WAL
    /// keeps earlier images of those pages, values included, until a checkpoint copies them back and
    /// the file is truncated. Briefly: a reader in the middle of a read keeps the WAL; then the writer
    /// asks again a moment later rather than hold up every message waiting for it.
    /// </summary>
    public override async Task<bool> ReclaimErased(DbConnection writer, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = writer.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            command.CommandTimeout = 1;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) == 0;
        }
        catch (Exception ex) when (IsConflict(ex))
        {
            return false;
        }
    }

    // SQLITE_BUSY (5) and SQLITE_LOCKED (6): another connection holds the lock the statement needed.
    public override bool IsConflict(Exception exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };

    public override IHealthCheck WritableCheck() => new StoreWritableCheck(path);

    public override string? ErrorCode(Exception exception) => (exception as SqliteException)?.SqliteErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
