using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Persistence;

/// <summary>What the hub knows about a customer's choices and dealer: the input of every routing decision.</summary>
public sealed class CustomerProfile
{
    public Guid CustomerId { get; set; }

    public bool ConsentGiven { get; set; }

    public ConsentChannel? ConsentChannel { get; set; }

    public string? ConsentWordingVersion { get; set; }

    public string? ConsentCapturedBy { get; set; }

    /// <summary>When the consent state last changed; an older consent event never overrides a newer one.</summary>
    public DateTimeOffset? ConsentChangedAt { get; set; }

    public bool Restricted { get; set; }

    public bool ObjectedGenerally { get; set; }

    public bool ObjectedToDirectMarketing { get; set; }

    /// <summary>The customer's Porsche Zentrum; its operator company is looked up at routing time.</summary>
    public string? DealerId { get; set; }

    /// <summary>Incremented by every write; the optimistic concurrency token (SQLite has no row versions).</summary>
    public long Version { get; set; }
}
