namespace IntegrationHub.Contracts;

/// <summary>
/// One record of one category, as a company holds it, with where and when it came from. A company may
/// hold several records of a category (two contracts, an old and a new e-mail address): access,
/// portability and hand-over answers carry each of them, never a merge.
/// </summary>
public sealed record CategoryRecord
{
    public required DataCategory Category { get; init; }
    public required Dictionary<string, string> Fields { get; init; }
    /// <summary>The company whose capture brought the record (Art. 15(1)(g) GDPR).</summary>
    public required string SourceCompany { get; init; }
    /// <summary>The Porsche Zentrum the capture named, if any.</summary>
    public string? DealerId { get; init; }
    /// <summary>The context of the capture, if the holder knows it.</summary>
    public CaptureContext? Context { get; init; }
    public ContractKind? ContractKind { get; init; }
    /// <summary>The purpose the record was captured for, if the holder knows it.</summary>
    public Purpose? Purpose { get; init; }
    /// <summary>When the source company captured it, if the holder knows it.</summary>
    public DateTimeOffset? CapturedAt { get; init; }
    /// <summary>When the holder received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
}
