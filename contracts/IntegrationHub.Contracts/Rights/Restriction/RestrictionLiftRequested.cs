using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: a restriction of processing is to be lifted (Art. 18(3) GDPR: the customer is told beforehand).</summary>
[EntityName("inbound.restriction-lift-requested")]
public sealed record RestrictionLiftRequested : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    /// <summary>Unique per request; used for de-duplication and for asking its status.</summary>
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    /// <summary>The company or dealer operator where the customer turned up; PD is the central contact.</summary>
    public required string ReceivedBy { get; init; }
    /// <summary>Starts the one-month deadline of Art. 12(3) GDPR.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
}
