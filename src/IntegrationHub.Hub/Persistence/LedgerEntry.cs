using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// The recipient ledger (Art. 19 GDPR): which company holds which category of a customer's data,
/// since when and through which message, so that rights requests reach every holder.
/// </summary>
public sealed class LedgerEntry
{
    public Guid CustomerId { get; set; }

    public required string Company { get; set; }

    public DataCategory Category { get; set; }

    public DateTimeOffset FirstReceivedAt { get; set; }

    public DateTimeOffset LastReceivedAt { get; set; }

    public Guid LastDeliveryId { get; set; }
}
