namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// What is left of an erased customer (Art. 17 GDPR): a keyed hash of the id, so that later messages
/// can be recognised and quarantined, and the digests of the holders' receipts as evidence.
/// </summary>
public sealed class Tombstone
{
    public required string CustomerHash { get; set; }

    public Guid ErasureRequestId { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset ErasedAt { get; set; }

    /// <summary>"COMPANY=digest" per holder, separated by ';'.</summary>
    public required string ReceiptDigests { get; set; }

    /// <summary>Messages for the erased customer that arrived afterwards and were quarantined, not routed.</summary>
    public int QuarantinedMessages { get; set; }

    public DateTimeOffset? LastQuarantinedAt { get; set; }
}
