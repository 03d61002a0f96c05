using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>
/// A message about one customer. The hub correlates, partitions (one customer's messages in order)
/// and admits by this id, configured once for every such message instead of once per type.
/// </summary>
/// <remarks>
/// Not a message type of its own: excluded from MassTransit's implemented types, so no exchange is
/// declared or bound for it and the wire stays one exchange per concrete message.
/// </remarks>
[ExcludeFromImplementedTypes]
public interface ICustomerMessage
{
    Guid CustomerId { get; }
}
