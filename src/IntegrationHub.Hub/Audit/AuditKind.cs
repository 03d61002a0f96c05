using System.Text.Json.Serialization;

namespace IntegrationHub.Hub.Audit;

[JsonConverter(typeof(JsonStringEnumConverter<AuditKind>))]
public enum AuditKind
{
    CaptureRouted,
    /// <summary>A capture for a customer being erased: not routed (Art. 17, Art. 18(1) GDPR).</summary>
    CaptureDroppedErasing,
    ConsentGiven,
    ConsentWithdrawn,
    ConsentDroppedErasing,
    RequestOpened,
    /// <summary>A request that arrived while the customer's erasure ran; the erasure answers it.</summary>
    RequestAnsweredByErasure,
    RequestForErasedCustomer,
    CommandSent,
    Acknowledged,
    RequestCompleted,
    RequestOverdue,
    AcknowledgementOverdue,
    DeadlineExtended,
    ReportWritten,
    GatheredAnswersExpired,
    CustomerErased,
    HandOverRequested,
    HandOverPassedOn,
    HandOverEnded,
    DealerOperatorChange,
    TakeoverStarted,
    TakeoverCompleted,
    TakeoverOverdue,
}

/// <summary>Why a company got, did not get, or did something with a category.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditReason>))]
public enum AuditReason
{
    Delivered,
    NoOperationalNeed,
    ConsentMissing,
    Objection,
    ProcessingRestricted,
    AggregatesOnly,
    NoDealerAssigned,
    Requested,
    Erased,
    KeptRestricted,
    Changed,
    Restricted,
    Unrestricted,
    Provided,
    Unchanged,
    Waiting,
    HandedOver,
    NothingToHandOver,
    CustomerErased,
}
