using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.UnitOfWork;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// Sends what the outbox holds, oldest first, and removes each row once the broker confirmed it.
/// Woken after every commit, and every few seconds anyway, so rows left by a stopped hub go out
/// after the restart. Each send has a bounded wait: a lost publisher confirm (ARCHITECTURE.md)
/// leaves the row for a later round instead of hanging the hub; receivers de-duplicate. A row that
/// keeps failing backs off and is parked (<see cref="OutboxRetryRule"/>); only the holder of the
/// store's <see cref="DispatcherLease"/> sends, so two hubs on one store do not send a row twice.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    HubWriter writer,
    DispatcherLease lease,
    OutboxRetryRule retry,
    TimeProvider clock,
    Operations.HubTimings timings,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>No send starts later than this into a batch, so a batch ends within this plus one send timeout (15 s) however many rows one customer has.</summary>
    public static readonly TimeSpan BatchBudget = TimeSpan.FromSeconds(30);

    private const int BatchSize = 200;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _wake = new(0);

    // One batch at a time in this process, however many callers: two would send the same rows twice.
    private readonly SemaphoreSlim _dispatching = new(1, 1);

    /// <summary>The id this dispatcher holds the store's lease under.</summary>
    public string Holder => lease.Holder;

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchBatch(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Outbox dispatch failed; retrying");
            }

            try
            {
                await _wake.WaitAsync(Idle, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await lease.Release(scope.ServiceProvider.GetRequiredService<HubDbContext>(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease then runs out on its own; another hub waits at most DispatcherLease.Duration.
            logger.LogWarning(ex, "Outbox lease not released");
        }
    }

    /// <summary>Sends up to one batch if this dispatcher holds the lease; returns how many rows were settled (sent or parked).</summary>
    public async Task<int> DispatchBatch(CancellationToken cancellationToken)
    {
        await _dispatching.WaitAsync(cancellationToken);
        try
        {
            return await DispatchOneBatch(cancellationToken);
        }
        finally
        {
            _dispatching.Release();
        }
    }

    // One customer's messages go out in the order they were decided (a delivery before a later
    // erasure command), different customers' messages side by side. Every outcome of the batch,
    // removals of sent rows included, is saved together whatever any one customer's rows did.
    private async Task<int> DispatchOneBatch(CancellationToken cancellationToken)
    {
        // Two contexts: the rows are read on a connection of their own, beside the writer; what
        // happened to them is written by the writer, whose context must not be used outside it.
        await using var scope = scopes.CreateAsyncScope();
        await using var writing = scopes.CreateAsyncScope();
        var db = writing.ServiceProvider.GetRequiredService<HubDbContext>();
        if (!await lease.TakeOrRenew(writer, db, cancellationToken))
        {
            return 0;
        }

        var round = System.Diagnostics.Stopwatch.GetTimestamp();
        var rows = await Due(scope.ServiceProvider.GetRequiredService<HubDbContext>(), clock.GetUtcNow()).AsNoTracking().Take(BatchSize).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        var read = clock.GetUtcNow();
        foreach (var row in rows)
        {
            timings.OutboxRead(row.CreatedAt, read);
        }

        var bus = scope.ServiceProvider.GetRequiredService<IBus>();
        using var startBy = new CancellationTokenSource(BatchBudget);
        var outcomes = await Task.WhenAll(rows.GroupBy(r => r.CustomerId)
            .Select(customer => SendInOrder(bus, customer, startBy.Token, cancellationToken)));

        var settled = 0;
        await writer.Run(db, async _ =>
        {
            settled = 0;
            foreach (var (row, failure) in outcomes.SelectMany(o => o))
            {
                settled += await Record(db, row, failure) ? 1 : 0;
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }, CancellationToken.None); // Not the stopping token: what the broker confirmed must be recorded, or it goes out again.
        timings.OutboxRound(rows.Count, System.Diagnostics.Stopwatch.GetElapsedTime(round));
        return settled;
    }

    /// <summary>
    /// Rows that are not parked, whose back-off has passed and that have no earlier row of their
    /// customer still backing off. A parked row does not hold its customer's later rows back: it may
    /// never be sendable, and a later erasure command must not wait for an operator (Art. 17 GDPR).
    /// </summary>
    public static IQueryable<OutboxRow> Due(HubDbContext db, DateTimeOffset now) =>
        db.Outbox
            .Where(o => o.ParkedAt == null && !db.Outbox.Any(earlier =>
                earlier.CustomerId == o.CustomerId && earlier.Id <= o.Id && earlier.ParkedAt == null && earlier.NextAttemptAt > now))
            .OrderBy(o => o.Id);

    // Stops at the first failed send, so the customer's later rows wait for a later round; an
    // unreadable row is parked and passed over. Returns only the rows it tried.
    private async Task<List<(OutboxRow Row, OutboxFailure? Failure)>> SendInOrder(
        IBus bus, IEnumerable<OutboxRow> customer, CancellationToken startBy, CancellationToken cancellationToken)
    {
        var tried = new List<(OutboxRow, OutboxFailure?)>();
        foreach (var row in customer)
        {
            if (startBy.IsCancellationRequested || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var sending = System.Diagnostics.Stopwatch.GetTimestamp();
            var failure = await OutboxSender.TrySend(bus, row, cancellationToken);
            if (failure is null)
            {
                timings.OutboxConfirmed(System.Diagnostics.Stopwatch.GetElapsedTime(sending), row.CreatedAt, clock.GetUtcNow());
            }

            if (failure is { Stopped: true })
            {
                break;
            }

            tried.Add((row, failure));
            if (failure is { Hopeless: false })
            {
                break;
            }
        }

        return tried;
    }

    private async Task<bool> Record(HubDbContext db, OutboxRow row, OutboxFailure? failure)
    {
        var now = clock.GetUtcNow();
        if (failure is null)
        {
            // Every copy sent comes here: a prepared DELETE, not a tracked removal.
            await db.Rows.Delete(row, CancellationToken.None);
            return true;
        }

        db.Outbox.Attach(row);

        if (failure.Hopeless)
        {
            OutboxRetryRule.Hopeless(row, failure.Reason, now);
        }
        else
        {
            retry.Failed(row, failure.Reason, now);
        }

        var type = OutboxMessage.ShortName(row.MessageType);
        if (row.ParkedAt is null)
        {
            logger.LogWarning("Outbox message {OutboxId} ({MessageType}) not sent (attempt {Attempts}, next at {NextAttemptAt:u}): {Reason}",
                row.Id, type, row.Attempts, row.NextAttemptAt, row.LastError);
            return false;
        }

        logger.LogError("Outbox message {OutboxId} ({MessageType}) parked after {Attempts} attempt(s): {Reason}; see `hub outbox`",
            row.Id, type, row.Attempts, row.LastError);
        return true;
    }
}
