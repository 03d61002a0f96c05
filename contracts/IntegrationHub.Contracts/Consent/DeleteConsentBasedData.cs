namespace IntegrationHub.Contracts;

/// <summary>Command to one holder after a withdrawal: delete the consent-based categories and stop personalised contact.</summary>
public sealed record DeleteConsentBasedData : ICustomerMessage, IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => CommandId;

    public required Guid CommandId { get; init; }
    /// <summary>The ConsentId of the withdrawal.</summary>
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Recipient { get; init; }
    public required IReadOnlyList<DataCategory> Categories { get; init; }
    public required DateTimeOffset AcknowledgeBy { get; init; }
}
