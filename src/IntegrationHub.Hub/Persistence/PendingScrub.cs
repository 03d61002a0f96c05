namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// An erased customer whose copies may still be parked in the hub's error, skipped or dead-letter
/// queues. Holds the customer id only until those queues have been scrubbed, then it is deleted.
/// </summary>
public sealed class PendingScrub
{
    public Guid CustomerId { get; set; }

    public DateTimeOffset RequestedAt { get; set; }
}
