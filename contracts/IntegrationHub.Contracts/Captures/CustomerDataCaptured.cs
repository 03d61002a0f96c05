using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: a company system captured customer data. Published by the company; only the hub consumes it.</summary>
[EntityName("inbound.customer-data-captured")]
public sealed record CustomerDataCaptured : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CaptureId;

    /// <summary>Unique per capture; the hub routes a capture id once, however often it arrives.</summary>
    public required Guid CaptureId { get; init; }
    public required Guid CustomerId { get; init; }
    /// <summary>The capturing company: PAG, PD, PFS, PFSKG, PSM or a dealer operator id. Must match the publishing broker user.</summary>
    public required string SourceCompany { get; init; }
    /// <summary>The Porsche Zentrum involved, if any (for example PZ-HAMBURG); it becomes the customer's dealer.</summary>
    public string? DealerId { get; init; }
    public required CaptureContext Context { get; init; }
    /// <summary>Required when Context is VehicleContract, absent otherwise.</summary>
    public ContractKind? ContractKind { get; init; }
    public required Purpose Purpose { get; init; }
    public required DateTimeOffset CapturedAt { get; init; }
    public required CategoryData Data { get; init; }
}
