using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event: the customer objected to processing on legitimate interests (Art. 21(1) GDPR).</summary>
[EntityName("inbound.objection-lodged")]
public sealed record ObjectionLodged : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => RequestId;

    /// <summary>Unique per request; used for de-duplication and for asking its status.</summary>
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    /// <summary>The company or dealer operator where the customer turned up; PD is the central contact.</summary>
    public required string ReceivedBy { get; init; }
    /// <summary>Starts the one-month deadline of Art. 12(3) GDPR.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>Compelling legitimate grounds recorded by the company, if any; without them needs analysis stops.</summary>
    public string? CompellingGrounds { get; init; }
}
