using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Acknowledgement: a holder stopped needs analysis for the customer.</summary>
[EntityName("inbound.needs-analysis-stopped")]
public sealed record NeedsAnalysisStopped : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Company { get; init; }
    public required ActionReceipt Receipt { get; init; }
}
