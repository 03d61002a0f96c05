namespace IntegrationHub.Contracts;

/// <summary>Command to one holder: erase the customer's data, keeping only records under a legal retention duty, restricted.</summary>
public sealed record EraseCustomerData : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    /// <summary>Unique per request and recipient.</summary>
    public required Guid CommandId { get; init; }
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Recipient { get; init; }
    /// <summary>The categories concerned that this recipient holds (Art. 19 GDPR).</summary>
    public required IReadOnlyList<DataCategory> Categories { get; init; }
    /// <summary>The internal acknowledgement deadline.</summary>
    public required DateTimeOffset AcknowledgeBy { get; init; }
    public required ErasureReason Reason { get; init; }
    /// <summary>
    /// Reason OperatorChange: the Porsche Zentrum that changed its operator. Erase only the records that
    /// came with this dealer id (and those without one, as handed over); records of another Zentrum you
    /// run stay (DOMAIN.md section 6.2). Absent for a data-subject request.
    /// </summary>
    public string? DealerId { get; init; }
}
