using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: the customer asked for erasure (Art. 17 GDPR).</summary>
[EntityName("inbound.erasure-requested")]
public sealed record ErasureRequested : ICustomerMessage, IUniqueMessage
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
