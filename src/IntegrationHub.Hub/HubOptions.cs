namespace IntegrationHub.Hub;

/// <summary>Where the hub finds its policy, its party directory and its database ("Hub" configuration section).</summary>
public sealed class HubOptions
{
    public string PolicyPath { get; set; } = Path.Combine("infrastructure", "policy", "routing-policy.json");

    public string PartiesPath { get; set; } = Path.Combine("infrastructure", "policy", "parties.json");

    public string DatabasePath { get; set; } = Path.Combine("data", "hub.db");

    /// <summary>Messages of one customer are handled one at a time, customers in parallel up to this many.</summary>
    public int Partitions { get; set; } = 8;

    /// <summary>How long a company has to acknowledge a command before it is escalated.</summary>
    public TimeSpan AcknowledgementDeadline { get; set; } = TimeSpan.FromHours(72);

    /// <summary>How often the sweeper looks for deadlines that have passed.</summary>
    public TimeSpan DeadlineSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The key of the tombstones' customer hash. The default is for development; production sets
    /// Hub__TombstoneKey from its secret store and never changes it (old tombstones would stop matching).
    /// </summary>
    public string TombstoneKey { get; set; } = "integration-hub-development-tombstone-key";
}
