namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// Which dispatcher may send the outbox of this store, and until when. Hubs that share one store
/// would otherwise each send every row; the holder renews it before each batch.
/// </summary>
public sealed class OutboxLease
{
    public required string Name { get; set; }

    /// <summary>The holding dispatcher's instance id (machine, process, instance): no personal data.</summary>
    public required string Holder { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
