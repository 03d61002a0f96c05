using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: the customer asked for data to be corrected (Art. 16 GDPR).</summary>
[EntityName("inbound.rectification-requested")]
public sealed record RectificationRequested : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    /// <summary>Unique per request; used for de-duplication and for asking its status.</summary>
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    /// <summary>The company or dealer operator where the customer turned up; PD is the central contact.</summary>
    public required string ReceivedBy { get; init; }
    /// <summary>Starts the one-month deadline of Art. 12(3) GDPR.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The corrected fields, by category.</summary>
    public required CategoryData Corrections { get; init; }
}
