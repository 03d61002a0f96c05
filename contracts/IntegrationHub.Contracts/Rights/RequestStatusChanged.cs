namespace IntegrationHub.Contracts;

/// <summary>
/// Event, sent to the queue of the company that received a data-subject request: the request is done,
/// or its legal deadline passed with companies still silent (DOMAIN.md section 5: the company that
/// received a request is told). The same facts are published to operations as the request's own event.
/// </summary>
public sealed record RequestStatusChanged : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => NoticeId;

    /// <summary>Unique per request and status: a repeat of this notice is the same notice.</summary>
    public required Guid NoticeId { get; init; }
    public required Guid RequestId { get; init; }
    /// <summary>All zeros once the customer is erased: the hub no longer knows the id.</summary>
    public required Guid CustomerId { get; init; }
    /// <summary>The company that received the request, whose queue this is.</summary>
    public required string Recipient { get; init; }
    /// <summary>Access, Erasure, Restriction, … as in RequestOverdue.</summary>
    public required string RequestKind { get; init; }
    /// <summary>"done" or "overdue".</summary>
    public required string Status { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>The companies that had not answered when the status changed.</summary>
    public required IReadOnlyList<string> WaitingFor { get; init; }
}
