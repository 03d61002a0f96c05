namespace IntegrationHub.Contracts;

/// <summary>Command to the old operator: hand over the dealer-role records of one customer of the Zentrum.</summary>
public sealed record HandOverDealerRecords : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    public required Guid TakeoverId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Recipient { get; init; }
    public required string DealerId { get; init; }
    public required DateTimeOffset AcknowledgeBy { get; init; }
}
