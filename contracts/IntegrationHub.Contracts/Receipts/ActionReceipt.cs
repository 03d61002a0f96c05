namespace IntegrationHub.Contracts;

/// <summary>
/// A company's proof of what it did for a command: outcome counts per category and a SHA-256 digest
/// over the records concerned, so the hub can keep evidence without keeping the data.
/// </summary>
public sealed record ActionReceipt
{
    public required IReadOnlyList<CategoryOutcome> Outcomes { get; init; }
    public required string Digest { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
