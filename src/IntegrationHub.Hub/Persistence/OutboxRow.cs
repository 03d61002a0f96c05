namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// A message the hub decided to send or publish, written in the same transaction as the decision and
/// removed once the broker confirmed it. If the hub stops in between, it sends it after the restart;
/// receivers de-duplicate by the message's own id. A row that cannot be sent is parked (kept, never
/// picked again automatically) so that operators see it in `hub outbox` and release it by hand.
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

    /// <summary>Failed sends since the row was written or last released.</summary>
    public int Attempts { get; set; }

    /// <summary>Not before this time (the back-off after a failed send); null when due at once.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Set when the dispatcher gave up on the row; it is then only sent again after a release.</summary>
    public DateTimeOffset? ParkedAt { get; set; }

    /// <summary>Why the last attempt failed: exception type and the broker's or resolver's message, never the body.</summary>
    public string? LastError { get; set; }
}
