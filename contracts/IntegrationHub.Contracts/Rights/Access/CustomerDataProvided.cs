using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Acknowledgement: a holder sent the customer's data it holds.</summary>
[EntityName("inbound.customer-data-provided")]
public sealed record CustomerDataProvided : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Company { get; init; }
    public required ActionReceipt Receipt { get; init; }
    /// <summary>Every record the holder has, one entry per record (two e-mail addresses are two entries).</summary>
    public required IReadOnlyList<CategoryRecord> Records { get; init; }
}
