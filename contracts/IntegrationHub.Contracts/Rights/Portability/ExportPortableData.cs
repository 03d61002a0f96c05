namespace IntegrationHub.Contracts;

/// <summary>Command to one holder: send the data the customer provided under consent or contract.</summary>
public sealed record ExportPortableData : ICustomerMessage, IUniqueMessage
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
}
