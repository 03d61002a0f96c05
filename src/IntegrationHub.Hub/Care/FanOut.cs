using System.Text.Json.Serialization;
using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Care;

[JsonConverter(typeof(JsonStringEnumConverter<FanOutKind>))]
public enum FanOutKind
{
    ConsentWithdrawal,
    Objection,
    DirectMarketingObjection,
    Restriction,
    RestrictionLift,
    Rectification,
    Erasure,
    /// <summary>Art. 15 GDPR: gathered from every holder into one report.</summary>
    Access,
    /// <summary>Art. 20 GDPR: gathered from every holder into one package.</summary>
    Portability,
    /// <summary>Dealer takeover, step 2: the former operator hands over the customer's records.</summary>
    DealerHandOver,
    /// <summary>Dealer takeover, step 2: then erases its copies (reason: operator change).</summary>
    OperatorChangeErasure,
}

/// <summary>
/// One request sent to every holder: who must answer, by when, who has. The legal deadline is one
/// calendar month from receipt, extendable by two months with a recorded reason (Art. 12(3) GDPR).
/// </summary>
public sealed class FanOut
{
    public Guid RequestId { get; set; }

    public FanOutKind Kind { get; set; }

    public required string ReceivedBy { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public string? ExtensionReason { get; set; }

    /// <summary>Portability: another controller the customer asked the package to be sent to.</summary>
    public string? TransmitTo { get; set; }

    /// <summary>Dealer takeover: which change, and the new operator.</summary>
    public Guid? TakeoverId { get; set; }

    public string? TakeoverTo { get; set; }

    public List<FanOutRecipient> Recipients { get; set; } = [];

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When the legal deadline passed with holders still silent (escalated once).</summary>
    public DateTimeOffset? OverdueSince { get; set; }

    public bool IsOpen => CompletedAt is null;

    public IEnumerable<FanOutRecipient> Waiting => Recipients.Where(r => r.AcknowledgedAt is null);
}

public sealed class FanOutRecipient
{
    public required string Company { get; set; }

    public Guid CommandId { get; set; }

    public List<DataCategory> Categories { get; set; } = [];

    public DateTimeOffset AcknowledgeBy { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? ReceiptDigest { get; set; }

    /// <summary>When the acknowledgement deadline passed unanswered (escalated once).</summary>
    public DateTimeOffset? OverdueSince { get; set; }
}
