namespace IntegrationHub.Hub;

/// <summary>Where the hub finds its policy, its party directory and its database ("Hub" configuration section).</summary>
public sealed class HubOptions
{
    public string PolicyPath { get; set; } = Path.Combine("infrastructure", "policy", "routing-policy.json");

    public string PartiesPath { get; set; } = Path.Combine("infrastructure", "policy", "parties.json");

    public string DatabasePath { get; set; } = Path.Combine("data", "hub.db");

    /// <summary>Messages of one customer are handled one at a time, customers in parallel up to this many.</summary>
    public int Partitions { get; set; } = 8;
}
