namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// A lease on this store: which dispatcher may send the outbox, and until when (hubs that share one
/// store would otherwise each send every row; the holder renews it before each batch); and, named
/// <c>member:&lt;id&gt;</c>, each running hub of several (<see cref="Scaling.HubMembership"/>).
/// </summary>
public sealed class OutboxLease
{
    public required string Name { get; set; }

    /// <summary>The holding dispatcher's instance id (machine, process, instance): no personal data.</summary>
    public required string Holder { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
