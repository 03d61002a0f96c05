using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>Every holder acknowledged the customer's erasure: the customer's saga keeps only a tombstone.</summary>
[EntityName("hub.internal.erasure-finished")]
public sealed record ErasureFinished : IntegrationHub.Contracts.ICustomerMessage, IntegrationHub.Contracts.IUniqueMessage, IHubInternal
{
    Guid IntegrationHub.Contracts.IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    /// <summary>Each holder's receipt digest, the evidence the tombstone keeps.</summary>
    public required IReadOnlyList<ReceiptDigest> Receipts { get; init; }
}

public sealed record ReceiptDigest(string Company, string? Digest);
