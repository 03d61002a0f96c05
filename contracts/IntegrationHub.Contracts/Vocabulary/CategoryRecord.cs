namespace IntegrationHub.Contracts;

/// <summary>One record of one category, as a company holds it; a company may hold several of a category (two contracts, say).</summary>
public sealed record CategoryRecord
{
    public required DataCategory Category { get; init; }
    public required Dictionary<string, string> Fields { get; init; }
}
