using IntegrationHub.Platform;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers;

/// <summary>
/// The messages a worker handles together in one transaction of its store, one after another in
/// queue order: each in a savepoint of its own, so that one that fails is undone alone and the others
/// stay; one commit for all; at most one WAL checkpoint, when something was erased; the answers only
/// after the commit. If the commit never happens, nothing is answered and the broker delivers the
/// messages again; whatever a message did is recognised then as done before and answered the same.
/// </summary>
public sealed class CompanyBatch : ICompanyQueueBatch
{
    private readonly CompanyWorker _worker;
    private readonly IPublishEndpoint _answers;
    private readonly ILogger _logger;
    private readonly IDbContextTransaction _transaction;
    private readonly List<object> _pending = [];
    private bool _erasing;
    private bool _committed;

    private CompanyBatch(CompanyWorker worker, CompanyStore store, IDbContextTransaction transaction, IPublishEndpoint answers, ILogger logger)
    {
        _worker = worker;
        Store = store;
        _transaction = transaction;
        _answers = answers;
        _logger = logger;
    }

    /// <summary>The store, inside the batch's transaction. Between messages it tracks nothing.</summary>
    public CompanyStore Store { get; }

    public bool Usable { get; private set; } = true;

    /// <summary>How many messages were carried out in the batch so far (undone ones not counted).</summary>
    public int Carried { get; private set; }

    /// <summary>Opens the store and its transaction, which takes SQLite's write lock at once (BEGIN IMMEDIATE).</summary>
    public static async Task<CompanyBatch> Begin(CompanyWorker worker, IPublishEndpoint answers, ILogger logger, CancellationToken cancellationToken)
    {
        var store = worker.OpenStore();
        try
        {
            // Each message has its savepoint here; EF Core's own one around every SaveChanges would only double it.
            store.Database.AutoSavepointsEnabled = false;
            var transaction = await store.Database.BeginTransactionAsync(cancellationToken);
            return new CompanyBatch(worker, store, transaction, answers, logger);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Carries out one message in its own savepoint and saves what it changed. If it throws, what it
    /// changed and answered is undone and the exception goes on (to MassTransit's retry, then to the
    /// error queue); the batch stays usable for the messages after it.
    /// </summary>
    public async Task Carry(Func<CompanyBatch, Task> message, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (!Usable)
        {
            throw new InvalidOperationException("the batch's transaction failed; its messages come again");
        }

        var answered = _pending.Count;
        await Guarded(() => _transaction.CreateSavepointAsync(Savepoint, cancellationToken));
        try
        {
            await message(this);
            _erasing |= ErasesValues(Store);
            await Store.SaveChangesAsync(cancellationToken);
            await _transaction.ReleaseSavepointAsync(Savepoint, cancellationToken);
            Carried++;
        }
        catch
        {
            _pending.RemoveRange(answered, _pending.Count - answered);
            await UndoToSavepoint();
            throw;
        }
        finally
        {
            Store.ChangeTracker.Clear();
        }
    }

    private Task UndoToSavepoint() => Guarded(() => _transaction.RollbackToSavepointAsync(Savepoint, CancellationToken.None));

    /// <summary>A step on the transaction itself: if it fails, the transaction is gone (an I/O error, for example) and nothing of the batch may be committed.</summary>
    private async Task Guarded(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception)
        {
            Usable = false;
            throw;
        }
    }

    /// <summary>An answer to send once the batch is committed.</summary>
    public void Answer(object answer) => _pending.Add(answer);

    public async Task Commit(CancellationToken cancellationToken)
    {
        if (!Usable)
        {
            throw new InvalidOperationException("the batch's transaction failed; its messages come again");
        }

        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
        if (_erasing && !await SqliteStore.Checkpoint(Store, cancellationToken))
        {
            _logger.LogWarning("{Company}: the store's WAL could not be emptied after a batch of {Count} messages with an erasure; the next checkpoint will",
                _worker.CompanyId, Carried);
        }
    }

    /// <summary>How long one answer may wait for the broker's confirm (MassTransit retries a refused publish within it).</summary>
    public static readonly TimeSpan AnswerPatience = TimeSpan.FromSeconds(15);

    public async Task SendAnswers(CancellationToken cancellationToken)
    {
        if (!_committed)
        {
            throw new InvalidOperationException("answers are sent only after the batch is committed");
        }

        foreach (var answer in _pending)
        {
            // Bounded: a confirm the broker never sends must not hold the queue's receiver (and so the queue)
            // for ever; the batch then fails, comes again, and is answered again as a repeat.
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            patience.CancelAfter(AnswerPatience);
            await _answers.Publish(answer, answer.GetType(), patience.Token);
        }

        _pending.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        // Not committed: disposing rolls the transaction back.
        await _transaction.DisposeAsync();
        await Store.DisposeAsync();
    }

    private const string Savepoint = "message";

    /// <summary>Whether the message deletes records or rewrites their values: then the WAL holds the old values until a checkpoint (Art. 17 GDPR).</summary>
    private static bool ErasesValues(CompanyStore store) =>
        store.ChangeTracker.Entries<HeldRecord>()
            .Any(e => e.State == EntityState.Deleted || (e.State == EntityState.Modified && e.Property(r => r.Fields).IsModified));
}

/// <summary>The worker's batches on RabbitMQ: the answers go out through the bus once a batch is committed.</summary>
public sealed class CompanyBatches(CompanyWorker worker, IBus bus, ILogger<CompanyBatch> logger) : ICompanyQueueBatches
{
    public async Task<ICompanyQueueBatch> Begin(CancellationToken cancellationToken) => await CompanyBatch.Begin(worker, bus, logger, cancellationToken);
}
