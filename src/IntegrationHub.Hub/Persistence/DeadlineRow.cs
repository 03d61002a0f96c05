namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// A deadline of an open request or takeover, projected from its saga in the same transaction, so
/// that the sweeper finds due ones with one query and they survive restarts. Company is empty for
/// the deadline of the whole request or takeover.
/// </summary>
public sealed class DeadlineRow
{
    /// <summary>The request id or the takeover id.</summary>
    public Guid SagaId { get; set; }

    public string Company { get; set; } = "";

    public DeadlineOwner Owner { get; set; }

    public DateTimeOffset DueAt { get; set; }
}

public enum DeadlineOwner
{
    Request,
    Takeover,
}
