namespace IntegrationHub.Hub.Persistence;

/// <summary>The inbox: ids of messages whose effect is committed, written in the same transaction as that effect.</summary>
public sealed class ProcessedMessage
{
    public Guid MessageId { get; set; }

    public required string Kind { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }

    /// <summary>SHA-256 of the message as the hub read it, so that an id reused for another message is told apart from a repeat.</summary>
    public string? Digest { get; set; }
}
