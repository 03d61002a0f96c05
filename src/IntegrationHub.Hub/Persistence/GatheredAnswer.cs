namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// One holder's answer to an access or portability request: the customer's data as that company
/// holds it. Kept at the hub only to build the report or package for the customer; removed with the
/// customer's erasure.
/// </summary>
public sealed class GatheredAnswer
{
    public Guid RequestId { get; set; }

    public required string Company { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>The holder's records (a JSON array of <see cref="IntegrationHub.Contracts.CategoryRecord"/>).</summary>
    public required string Data { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
