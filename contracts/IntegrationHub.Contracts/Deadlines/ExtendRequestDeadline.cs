using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>
/// Command to the hub: extend a request's deadline by two further months (Art. 12(3) GDPR). The
/// customer must be told within the first month, with the reasons; the hub records them.
/// </summary>
[EntityName("inbound.extend-request-deadline")]
public sealed record ExtendRequestDeadline : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => ExtensionId;

    /// <summary>Unique per extension; used for de-duplication.</summary>
    public required Guid ExtensionId { get; init; }
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    /// <summary>The company that decided the extension (normally PD, the central contact).</summary>
    public required string DecidedBy { get; init; }
    /// <summary>Why, as told to the customer: complexity or number of requests. Not personal data.</summary>
    public required string Reason { get; init; }
}
