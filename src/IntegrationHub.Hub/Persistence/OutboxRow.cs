namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// A message the hub decided to send or publish, written in the same transaction as the decision and
/// removed once the broker confirmed it. If the hub stops in between, it sends it after the restart;
/// receivers de-duplicate by the message's own id.
/// </summary>
public sealed class OutboxRow
{
    public long Id { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>A destination address for sends; null for publishes.</summary>
    public string? Destination { get; set; }

    public required string MessageType { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int Attempts { get; set; }
}
