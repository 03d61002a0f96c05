namespace IntegrationHub.Hub.Persistence;

/// <summary>The inbox: ids of messages whose effect is committed, written in the same transaction as that effect.</summary>
public sealed class ProcessedMessage
{
    public Guid MessageId { get; set; }

    public required string Kind { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
