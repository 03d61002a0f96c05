namespace IntegrationHub.Contracts;

/// <summary>
/// Command to the new operator of a Porsche Zentrum: the dealer-role records of one customer, handed
/// over by the former operator and minimised by the routing matrix (DOMAIN.md section 6, step 2).
/// </summary>
public sealed record TakeOverDealerRecords
{
    /// <summary>Unique per takeover, customer and recipient; used for de-duplication.</summary>
    public required Guid CommandId { get; init; }
    public required Guid TakeoverId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Recipient { get; init; }
    public required string DealerId { get; init; }
    public required string FromOperator { get; init; }
    public required CategoryData Data { get; init; }
    public required string PolicyVersion { get; init; }
}
