using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// The store in a PostgreSQL database: for several hub processes on one database that is operated and
/// backed up on its own. Transactions run at READ COMMITTED (PostgreSQL's default): the writer's
/// statements lock the rows they change until the commit, a conditional UPDATE re-checks its condition
/// on the row as committed by anyone else (the saga's version, the outbox lease's holder), and the
/// primary keys refuse a second row for one key (the inbox, a new saga): a conflict fails its unit of
/// work, and the message's retry runs it again on what the other transaction committed.
/// </summary>
public sealed class PostgresStoreEngine(string connectionString) : StoreEngine
{
    private readonly NpgsqlConnectionStringBuilder _settings = new(connectionString);
    private readonly object _vacuumGate = new();
    private bool _vacuumRunning;
    private bool _vacuumAgain;

    public override string Kind => Postgres;

    public override string Location => $"{_settings.Host}:{_settings.Port}/{_settings.Database}";

    public override DbContextOptionsBuilder Use(DbContextOptionsBuilder builder) => builder.UseNpgsql(connectionString);

    // Every transaction of the dashboard's connections is read-only: it can never change what the hub decided.
    public override DbContextOptionsBuilder UseReadOnly(DbContextOptionsBuilder builder) =>
        builder.UseNpgsql(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Options = $"{_settings.Options} -c default_transaction_read_only=on".Trim(),
        }.ConnectionString);

    /// <summary>
    /// Creates the database (when the role may) and the tables when missing. Two hubs starting at once
    /// on an empty database may both try: the loser's CREATE fails on what the winner just created,
    /// and is fine as long as the schema is there afterwards.
    /// </summary>
    public override void Prepare(DbContext db)
    {
        try
        {
            db.Database.EnsureCreated();
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation
                                           && HasSchema(db))
        {
        }
    }

    public override bool Exists(DbContext db) => HasSchema(db);

    public override async Task<DbConnection> OpenWriterConnection(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// What PostgreSQL keeps of erased values: a DELETE or UPDATE leaves the old row version (a dead
    /// tuple) in the table's pages, and index entries pointing at it, until VACUUM removes them; VACUUM
    /// frees that space for reuse, and new rows overwrite it (only VACUUM FULL rewrites a table into new
    /// files, but it locks the table against every reader and writer while it runs, so the hub does not
    /// do it). The write-ahead log keeps the values written until its segments are recycled after
    /// checkpoints, and a WAL archive or a base backup keeps them as long as they are kept: that is the
    /// operator's retention to set (README, "Choosing the store"). Here: a plain VACUUM of the hub's
    /// tables right after the erasure commits, so the dead versions do not wait for autovacuum's
    /// thresholds. VACUUM cannot run inside a transaction, so not in the writer's group: on a
    /// connection of its own, in the background, so no message waits for it; erasures that commit while
    /// it runs get one more run after it.
    /// </summary>
    public override Task<bool> ReclaimErased(DbConnection writer, ILogger logger, CancellationToken cancellationToken)
    {
        lock (_vacuumGate)
        {
            if (_vacuumRunning)
            {
                _vacuumAgain = true;
                return Task.FromResult(true);
            }

            _vacuumRunning = true;
        }

        _ = Task.Run(() => Vacuum(logger), CancellationToken.None);
        return Task.FromResult(true);
    }

    private async Task Vacuum(ILogger logger)
    {
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "VACUUM " + string.Join(", ", HubTables().Select(t => $"\"{t}\""));
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // Autovacuum still gets there; the next erasure asks again.
                logger.LogWarning("VACUUM of the hub's tables after an erasure failed ({ErrorCode}); autovacuum will remove the dead rows later", ErrorCode(ex) ?? ex.GetType().Name);
            }

            lock (_vacuumGate)
            {
                if (!_vacuumAgain)
                {
                    _vacuumRunning = false;
                    return;
                }

                _vacuumAgain = false;
            }
        }
    }

    private IReadOnlyList<string> HubTables()
    {
        using var db = new HubDbContext(new DbContextOptionsBuilder<HubDbContext>().UseNpgsql(connectionString).Options);
        return Tables(db);
    }

    /// <summary>
    /// serialization_failure and deadlock_detected: PostgreSQL aborted the transaction for another's
    /// sake; lock_not_available: a lock wait gave up; unique_violation: another transaction inserted the
    /// same key first (the inbox row of the same message, a saga created twice), which the retry then
    /// finds. All four are gone when the unit of work runs again.
    /// </summary>
    public override bool IsConflict(Exception exception) =>
        PostgresError(exception)?.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.UniqueViolation;

    public override IHealthCheck WritableCheck() => new WritableStore(connectionString, this);

    public override string? ErrorCode(Exception exception) => PostgresError(exception)?.SqlState;

    private static PostgresException? PostgresError(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PostgresException postgres)
            {
                return postgres;
            }
        }

        return null;
    }

    /// <summary>
    /// Ready only while the store takes writes: the server answers within two seconds, is not a
    /// standby in recovery (read-only after a failover gone wrong), and does not make transactions read-only.
    /// </summary>
    private sealed class WritableStore(string connectionString, PostgresStoreEngine engine) : IHealthCheck
    {
        private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 2, CommandTimeout = 2 }.ConnectionString;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'";
                return await command.ExecuteScalarAsync(cancellationToken) is false
                    ? HealthCheckResult.Healthy("store writable")
                    : HealthCheckResult.Unhealthy("store read-only (a standby, or transactions read-only)");
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy($"store not writable ({ex.GetType().Name}: {engine.ErrorCode(ex)})");
            }
        }
    }
}
