using IntegrationHub.Contracts;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Sagas;

namespace IntegrationHub.Hub.Requests;

/// <summary>
/// One data-subject request, from receipt until long after it is done: who must answer, by when, who
/// has and with which receipt. The legal deadline is one calendar month from receipt, extendable by two
/// months with a recorded reason (Art. 12(3) GDPR). It outlives the customer's erasure, keyed by the
/// request id and the customer's keyed hash; the customer id is cleared then. No payload values.
/// </summary>
public sealed class RequestState : IHubSaga
{
    /// <summary>The request id.</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public int Version { get; set; }

    public RequestKind Kind { get; set; }

    /// <summary>Null once the customer is erased.</summary>
    public Guid? CustomerId { get; set; }

    public string CustomerHash { get; set; } = "";

    public string ReceivedBy { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public string? ExtensionReason { get; set; }

    /// <summary>Portability: another controller the customer asked the package to be sent to.</summary>
    public string? TransmitTo { get; set; }

    public Guid? TakeoverId { get; set; }

    /// <summary>The customer's erasure that answers this request.</summary>
    public Guid? AnsweredByErasure { get; set; }

    /// <summary>Why the request ended as it did, when not by every holder's answer.</summary>
    public string? Note { get; set; }

    public List<RequestRecipient> Recipients { get; set; } = [];

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When the legal deadline passed with holders still silent (escalated once).</summary>
    public DateTimeOffset? OverdueSince { get; set; }

    public bool IsOpen => CompletedAt is null;

    public IEnumerable<RequestRecipient> Waiting => Recipients.Where(r => r.AcknowledgedAt is null);

    public RequestRecipient? Recipient(Guid commandId, string company) => Recipients.SingleOrDefault(r => r.CommandId == commandId && r.Company == company);
}

public sealed class RequestRecipient
{
    public required string Company { get; set; }

    public Guid CommandId { get; set; }

    public List<DataCategory> Categories { get; set; } = [];

    public DateTimeOffset AcknowledgeBy { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>The holder's receipt: counts, outcomes and legal bases per category and a digest; the evidence kept.</summary>
    public ActionReceipt? Receipt { get; set; }

    /// <summary>When the acknowledgement deadline passed unanswered (escalated once).</summary>
    public DateTimeOffset? OverdueSince { get; set; }
}
