namespace IntegrationHub.Platform;

/// <summary>
/// The messages <see cref="CompanyQueueReceiver"/> took from a company's queue at once, handled one
/// after another in queue order and made durable together: one store transaction, one commit. The
/// receiver hands the batch to every message's consumers as a payload of the receive context, so a
/// consumer finds the transaction to work in there.
/// </summary>
public interface ICompanyQueueBatch : IAsyncDisposable
{
    /// <summary>
    /// False once the batch's transaction failed as a whole (not just one message's part of it): then
    /// nothing of the batch is committed, and all of its messages come again, none is set aside.
    /// </summary>
    bool Usable { get; }

    /// <summary>Makes what every handled message of the batch did durable. Until then nothing is answered or acknowledged.</summary>
    Task Commit(CancellationToken cancellationToken);

    /// <summary>After the commit: sends the answers the batch's messages gave, in their order.</summary>
    Task SendAnswers(CancellationToken cancellationToken);
}

/// <summary>
/// Begins the batches of a company's queue. A process with a store of its own (the worker) registers
/// one; without it (a company system on the client library) every consumer keeps what it does itself,
/// and only the acknowledgement waits for the end of the batch.
/// </summary>
public interface ICompanyQueueBatches
{
    Task<ICompanyQueueBatch> Begin(CancellationToken cancellationToken);
}

/// <summary>The batch of a process without a store: nothing to commit, the consumers answered themselves.</summary>
internal sealed class ConsumersKeepTheirOwn : ICompanyQueueBatches, ICompanyQueueBatch
{
    public static readonly ConsumersKeepTheirOwn Instance = new();

    public bool Usable => true;

    public Task<ICompanyQueueBatch> Begin(CancellationToken cancellationToken) => Task.FromResult<ICompanyQueueBatch>(this);

    public Task Commit(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SendAnswers(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
