namespace IntegrationHub.Contracts;

/// <summary>Event: every holder lifted a restriction.</summary>
public sealed record RestrictionLiftCompleted
{
    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> AcknowledgedBy { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
