using System.Diagnostics;
using System.Threading.Channels;
using IntegrationHub.Hub.Operations;
using IntegrationHub.Hub.Persistence;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.UnitOfWork;

/// <summary>
/// The one writer of the hub's store in this process, on either engine (<see cref="StoreEngine"/>).
/// SQLite lets one transaction write at a time;
/// when every message's unit of work raced for that lock, the losers got SQLITE_BUSY and
/// Microsoft.Data.Sqlite retried them after sleeping, so the hub spent most of its time asleep.
/// Here the units of work queue up instead and are committed in groups: whatever is waiting when a
/// transaction starts runs in it, one after another, each inside a savepoint of its own, and one
/// commit (one fsync with synchronous=FULL) makes the whole group durable. A unit that throws is
/// rolled back to its savepoint and fails alone, and its message is retried; the others commit. No
/// unit learns it succeeded before the commit did, so no message is acknowledged to the broker before
/// its effects are on disk. On PostgreSQL the same grouping saves a commit (a WAL flush) per message;
/// there the transaction locks only the rows it writes, and other hub processes write beside it.
/// </summary>
public sealed class HubWriter : IAsyncDisposable
{
    /// <summary>Most units of work in one transaction: bounds the time the first of them waits for its commit.</summary>
    public const int MaxGroup = 64;

    private readonly Channel<Unit> _waiting = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StoreEngine _engine;
    private readonly ILogger<HubWriter> _logger;
    private readonly HubTimings _timings;
    private readonly Task _loop;
    private DbConnection? _connection;
    private int _reclaimWanted;

    public HubWriter(StoreEngine engine, HubTimings timings, ILogger<HubWriter> logger)
    {
        _engine = engine;
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
    /// Asks for what the engine still keeps of erased values on disk to be reclaimed after the next
    /// commit (<see cref="StoreEngine.ReclaimErased"/>: SQLite's WAL file emptied, PostgreSQL's dead
    /// rows vacuumed; Art. 17 GDPR: erased means erased on disk too). Called by a unit of work that
    /// erased something; a reclaim that readers keep from finishing is tried again until it does.
    /// </summary>
    public void ReclaimAfterCommit() => Interlocked.Exchange(ref _reclaimWanted, 1);

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
        while (await NextGroupOrReclaim())
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

                await ReclaimIfWanted();
            }
            catch (Exception ex)
            {
                // Nothing of the group is on disk: every unit fails, every message is retried.
                _logger.LogWarning("A group of {Count} units of work was not committed: {Error}", group.Count, ex.Message);
                foreach (var unit in group)
                {
                    unit.Done.TrySetException(ex);
                }

                // A conflict with another transaction leaves the connection as good as it was; anything
                // else (a server gone, a broken socket) may not.
                if (!_engine.IsConflict(ex))
                {
                    await DropConnection();
                }
            }
        }
    }

    // Waits for the next units of work; while a reclaim is still owed, wakes every second to try it
    // again even when nothing else arrives.
    private async Task<bool> NextGroupOrReclaim()
    {
        var next = _waiting.Reader.WaitToReadAsync().AsTask();
        while (Volatile.Read(ref _reclaimWanted) == 1 && await Task.WhenAny(next, Task.Delay(ReclaimRetry)) != next)
        {
            await ReclaimIfWanted();
        }

        return await next;
    }

    private static readonly TimeSpan ReclaimRetry = TimeSpan.FromSeconds(1);

    private async Task ReclaimIfWanted()
    {
        if (Interlocked.Exchange(ref _reclaimWanted, 0) == 0)
        {
            return;
        }

        var done = await _engine.ReclaimErased(await Connection(), _logger, CancellationToken.None);
        if (!done)
        {
            Interlocked.Exchange(ref _reclaimWanted, 1);
        }
    }

    private async Task Commit(List<Unit> group)
    {
        var connection = await Connection();
        // SQLite: BEGIN IMMEDIATE, the file's write lock from here to the commit. PostgreSQL: READ COMMITTED.
        await using var transaction = await connection.BeginTransactionAsync();
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

    private static async Task<Exception?> RunInSavepoint(Unit unit, DbConnection connection, DbTransaction transaction)
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

    private async Task<DbConnection> Connection() => _connection ??= await _engine.OpenWriterConnection(CancellationToken.None);

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
