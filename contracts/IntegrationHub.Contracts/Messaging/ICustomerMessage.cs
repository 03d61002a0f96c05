using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>
/// A message about one customer. The hub correlates, partitions (one customer's messages in order)
/// and admits by this id, configured once for every such message instead of once per type.
/// </summary>
/// <remarks>
/// Not a message type of its own: excluded from MassTransit's implemented types and topology, so no
/// exchange is declared or bound for it (a company's broker user could not declare one), and the
/// wire stays one exchange and one MT-MessageType per concrete message.
/// </remarks>
[ExcludeFromImplementedTypes]
[ExcludeFromTopology]
public interface ICustomerMessage
{
    Guid CustomerId { get; }
}
