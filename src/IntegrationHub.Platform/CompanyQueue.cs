namespace IntegrationHub.Platform;

/// <summary>
/// A company's queue as its own process reads it: with the company's broker user, on a connection
/// named after the company and the process (for example <c>worker-pag</c>), so operations can tell
/// the connections apart.
/// </summary>
public sealed record CompanyQueue(string CompanyId, BrokerSettings Broker, string ConnectionName)
{
    public string Name => BrokerNames.CompanyQueue(CompanyId);

    /// <summary>Where a message that cannot be carried out is parked with its reason: <c>company.&lt;user&gt;_error</c>.</summary>
    public string ErrorQueue => BrokerNames.CompanyErrorQueue(CompanyId);

    /// <summary>
    /// The most messages taken from the queue at once (the consumer's prefetch) and handled as one
    /// batch; a batch holds what is ready, so a lone message is handled at once. One unless the process
    /// commits its batches in a store (<see cref="ICompanyQueueBatches"/>, the worker): consumers that
    /// keep what they do themselves gain nothing from a larger one.
    /// </summary>
    public ushort BatchSize { get; init; } = 1;
}
