namespace IntegrationHub.Contracts;

/// <summary>
/// Command to the new operator of a Porsche Zentrum: the dealer-role records of one customer, handed
/// over by the former operator and minimised by the routing matrix (DOMAIN.md section 6, step 2).
/// </summary>
public sealed record TakeOverDealerRecords : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    /// <summary>Unique per takeover, customer and recipient; used for de-duplication.</summary>
    public required Guid CommandId { get; init; }
    public required Guid TakeoverId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Recipient { get; init; }
    public required string DealerId { get; init; }
    public required string FromOperator { get; init; }
    /// <summary>The records the dealer role may hold, one entry per record.</summary>
    public required IReadOnlyList<CategoryRecord> Records { get; init; }
    public required string PolicyVersion { get; init; }
    /// <summary>The customer's choices, which carry over unchanged (DOMAIN.md section 6, step 3): processing restricted (Art. 18).</summary>
    public bool Restricted { get; init; }
    /// <summary>Objection to needs analysis (Art. 21(1)) without compelling grounds.</summary>
    public bool NoNeedsAnalysis { get; init; }
    /// <summary>Objection to direct marketing (Art. 21(2)).</summary>
    public bool NoDirectMarketing { get; init; }
    /// <summary>No consent to individual care: no personalised contact.</summary>
    public bool NoPersonalisedContact { get; init; }
}
