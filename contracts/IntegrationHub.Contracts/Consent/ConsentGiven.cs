using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: the customer consented to individual care (seed, section 4). Any company or dealer may capture it.</summary>
[EntityName("inbound.consent-given")]
public sealed record ConsentGiven : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => ConsentId;

    /// <summary>Unique per consent act; used for de-duplication.</summary>
    public required Guid ConsentId { get; init; }
    public required Guid CustomerId { get; init; }
    public required ConsentChannel Channel { get; init; }
    /// <summary>The version of the consent text the customer saw.</summary>
    public required string WordingVersion { get; init; }
    /// <summary>The company that captured the consent.</summary>
    public required string CapturedBy { get; init; }
    public required DateTimeOffset GivenAt { get; init; }
}
