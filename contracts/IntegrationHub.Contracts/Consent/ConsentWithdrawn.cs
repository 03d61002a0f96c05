using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: the customer withdrew consent (Art. 7(3) GDPR); effective for the future. PD is the central contact, but every company accepts it.</summary>
[EntityName("inbound.consent-withdrawn")]
public sealed record ConsentWithdrawn : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => ConsentId;

    /// <summary>Unique per withdrawal act; also the id of the resulting fan-out.</summary>
    public required Guid ConsentId { get; init; }
    public required Guid CustomerId { get; init; }
    public required ConsentChannel Channel { get; init; }
    public string? WordingVersion { get; init; }
    public required string CapturedBy { get; init; }
    public required DateTimeOffset WithdrawnAt { get; init; }
}
