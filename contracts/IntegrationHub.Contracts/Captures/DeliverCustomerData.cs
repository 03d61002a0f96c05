namespace IntegrationHub.Contracts;

/// <summary>Command from the hub to one company: the minimised copy of a capture, holding only the categories that company operationally needs.</summary>
public sealed record DeliverCustomerData : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => DeliveryId;

    /// <summary>Unique per capture and recipient: stable across redeliveries, so a worker can de-duplicate.</summary>
    public required Guid DeliveryId { get; init; }
    public required Guid CaptureId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Recipient { get; init; }
    public required string SourceCompany { get; init; }
    public string? DealerId { get; init; }
    public required CaptureContext Context { get; init; }
    public ContractKind? ContractKind { get; init; }
    public required Purpose Purpose { get; init; }
    public required DateTimeOffset CapturedAt { get; init; }
    public required CategoryData Data { get; init; }
    /// <summary>The routing policy version that decided this copy.</summary>
    public required string PolicyVersion { get; init; }
}
