using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<OutcomeKind>))]
public enum OutcomeKind
{
    Erased,
    /// <summary>Kept under a legal retention duty, and restricted (Art. 17(3)(b), Art. 18 GDPR).</summary>
    KeptRestricted,
    Changed,
    Restricted,
    Unrestricted,
    Provided,
    Unchanged,
}

/// <summary>What a company did with one category of a customer's data: counts only, never values.</summary>
public sealed record CategoryOutcome
{
    public required DataCategory Category { get; init; }
    public required OutcomeKind Outcome { get; init; }
    public required int RecordCount { get; init; }
    /// <summary>The legal basis when records are kept, for example "§ 147 AO (tax retention, 10 years)".</summary>
    public string? LegalBasis { get; init; }
}
