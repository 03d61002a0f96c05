using IntegrationHub.Contracts;

namespace IntegrationHub.Workers;

/// <summary>One category of a customer's data as a company received it, with where and when it came from.</summary>
public sealed class HeldRecord
{
    public long Id { get; set; }

    public Guid CustomerId { get; set; }

    public DataCategory Category { get; set; }

    /// <summary>The fields of the category, as JSON.</summary>
    public required string Fields { get; set; }

    public required string SourceCompany { get; set; }

    public string? DealerId { get; set; }

    /// <summary>Null for a record taken over whose hand-over named no context.</summary>
    public CaptureContext? Context { get; set; }

    public ContractKind? ContractKind { get; set; }

    public Purpose Purpose { get; set; }

    public Guid DeliveryId { get; set; }

    public DateTimeOffset CapturedAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Stored but not to be used (Art. 18 GDPR), by request or because it is kept under a retention duty.</summary>
    public bool Restricted { get; set; }

    /// <summary>The legal basis under which the record outlived an erasure, if it did.</summary>
    public string? RetainedUnder { get; set; }

    public DateTimeOffset? ChangedAt { get; set; }
}
