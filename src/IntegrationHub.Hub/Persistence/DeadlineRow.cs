namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// A deadline of an open fan-out, projected from the saga in the same transaction, so that the
/// sweeper finds due ones with one query and they survive restarts. Company is empty for the
/// request's legal deadline.
/// </summary>
public sealed class DeadlineRow
{
    public Guid CustomerId { get; set; }

    public Guid RequestId { get; set; }

    public string Company { get; set; } = "";

    public DateTimeOffset DueAt { get; set; }
}
