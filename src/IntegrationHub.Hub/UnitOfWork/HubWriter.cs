using System.Diagnostics;
using System.Threading.Channels;
using IntegrationHub.Hub.Operations;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.UnitOfWork;

/// <summary>
/// The one writer of the hub's store in this process. SQLite lets one transaction write at a time;
/// when every message's unit of work raced for that lock, the losers got SQLITE_BUSY and
/// Microsoft.Data.Sqlite retried them after sleeping, so the hub spent most of its time asleep.
/// Here the units of work queue up instead and are committed in groups: whatever is waiting when a
/// transaction starts runs in it, one after another, each inside a savepoint of its own, and one
/// commit (one fsync with synchronous=FULL) makes the whole group durable. A unit that throws is
/// rolled back to its savepoint and fails alone, and its message is retried; the others commit. No
/// unit learns it succeeded before the commit did, so no message is acknowledged to the broker before
/// its effects are on disk.
/// </summary>
public sealed class HubWriter : IAsyncDisposable
{
    /// <summary>Most units of work in one transaction: bounds the time the first of them waits for its commit.</summary>
    public const int MaxGroup = 64;

    private readonly Channel<Unit> _waiting = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionString;
    private readonly ILogger<HubWriter> _logger;
    private readonly HubTimings _timings;
    private readonly Task _loop;
    private SqliteConnection? _connection;
    private int _checkpointWanted;

    public HubWriter(HubOptions options, HubTimings timings, ILogger<HubWriter> logger)
    {
        _connectionString = SqliteStore.ConnectionString(options.DatabasePath);
        _logger = logger;
        _timings = timings;
        _loop = Task.Run(Loop);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="db"/> inside the next group's transaction and
    /// returns once that transaction committed (or throws what the work threw, or the commit's failure).
    /// The context is bound to the writer's connection for the duration of the work only; it must not
    /// be used outside the writer meanwhile.
    /// </summary>
    public async Task Run(HubDbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var unit = new Unit(db, work, cancellationToken);
        if (!_waiting.Writer.TryWrite(unit))
        {
            throw new ObjectDisposedException(nameof(HubWriter), "the hub's store writer has stopped");
        }

        await unit.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Asks for the store's WAL file to be emptied after the next commit: SQLite's secure_delete
    /// overwrites erased values in the database file, but the WAL keeps earlier images of those pages,
    /// values included, until a checkpoint copies them back and the file is truncated (Art. 17 GDPR:
    /// erased means erased on disk too). Called by a unit of work that erased something; a checkpoint
    /// that readers keep from finishing is tried again until it does.
    /// </summary>
    public void CheckpointAfterCommit() => Interlocked.Exchange(ref _checkpointWanted, 1);

    public async ValueTask DisposeAsync()
    {
        _waiting.Writer.TryComplete();
        await _loop;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task Loop()
    {
        var group = new List<Unit>(MaxGroup);
        while (await NextGroupOrCheckpoint())
        {
            group.Clear();
            while (group.Count < MaxGroup && _waiting.Reader.TryRead(out var unit))
            {
                group.Add(unit);
            }

            try
            {
                if (group.Count > 0)
                {
                    await Commit(group);
                }

                await CheckpointIfWanted();
            }
            catch (Exception ex)
            {
                // Nothing of the group is on disk: every unit fails, every message is retried.
                _logger.LogWarning("A group of {Count} units of work was not committed: {Error}", group.Count, ex.Message);
                foreach (var unit in group)
                {
                    unit.Done.TrySetException(ex);
                }

                await DropConnection();
            }
        }
    }

    // Waits for the next units of work; while a checkpoint is still owed, wakes every second to try it
    // again even when nothing else arrives.
    private async Task<bool> NextGroupOrCheckpoint()
    {
        var next = _waiting.Reader.WaitToReadAsync().AsTask();
        while (Volatile.Read(ref _checkpointWanted) == 1 && await Task.WhenAny(next, Task.Delay(CheckpointRetry)) != next)
        {
            await CheckpointIfWanted();
        }

        return await next;
    }

    private static readonly TimeSpan CheckpointRetry = TimeSpan.FromSeconds(1);

    private async Task CheckpointIfWanted()
    {
        if (Interlocked.Exchange(ref _checkpointWanted, 0) == 0)
        {
            return;
        }

        var done = false;
        try
        {
            var connection = await Connection();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";

            // Briefly: a reader in the middle of a read keeps the WAL; then the next round tries again
            // rather than hold up every message waiting for the writer.
            command.CommandTimeout = 1;
            await using var reader = await command.ExecuteReaderAsync();
            done = await reader.ReadAsync() && reader.GetInt32(0) == 0;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            // SQLITE_BUSY or SQLITE_LOCKED: a reader is still there.
        }

        if (!done)
        {
            Interlocked.Exchange(ref _checkpointWanted, 1);
        }
    }

    private async Task Commit(List<Unit> group)
    {
        var connection = await Connection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var failures = new Exception?[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            _timings.WriterWaited(Stopwatch.GetElapsedTime(group[i].Queued));
            failures[i] = await RunInSavepoint(group[i], connection, transaction);
        }

        var committing = Stopwatch.GetTimestamp();
        await transaction.CommitAsync();
        _timings.Committed(group.Count, Stopwatch.GetElapsedTime(committing));
        for (var i = 0; i < group.Count; i++)
        {
            _timings.WriterDone(Stopwatch.GetElapsedTime(group[i].Queued));
            if (failures[i] is { } failure)
            {
                group[i].Done.TrySetException(failure);
            }
            else
            {
                group[i].Done.TrySetResult();
            }
        }
    }

    private static async Task<Exception?> RunInSavepoint(Unit unit, SqliteConnection connection, SqliteTransaction transaction)
    {
        if (unit.CancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException(unit.CancellationToken);
        }

        const string savepoint = "unit";
        await transaction.SaveAsync(savepoint);
        var db = unit.Db;
        try
        {
            if (!ReferenceEquals(db.Database.GetDbConnection(), connection))
            {
                db.Database.SetDbConnection(connection, contextOwnsConnection: false);
            }

            // The unit already runs in a savepoint of ours; EF's own one per SaveChanges is redundant work.
            db.Database.AutoSavepointsEnabled = false;
            await db.Database.UseTransactionAsync(transaction);
            await unit.Work(unit.CancellationToken);
            await transaction.ReleaseAsync(savepoint);
            return null;
        }
        catch (Exception ex)
        {
            await transaction.RollbackAsync(savepoint);
            await transaction.ReleaseAsync(savepoint);
            db.Forget();
            return ex;
        }
        finally
        {
            await db.Database.UseTransactionAsync(null);
        }
    }

    private async Task<SqliteConnection> Connection()
    {
        if (_connection is null)
        {
            _connection = new SqliteConnection(_connectionString);
            await _connection.OpenAsync();
            SqliteStore.ApplyConnectionSettings(_connection);
        }

        return _connection;
    }

    private async Task DropConnection()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    private sealed record Unit(HubDbContext Db, Func<CancellationToken, Task> Work, CancellationToken CancellationToken)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Queued { get; } = Stopwatch.GetTimestamp();
    }
}
