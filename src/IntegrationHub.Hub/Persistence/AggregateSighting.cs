using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// That some customer's data of a category arose in a context on a day, and was not forwarded
/// because it may only be counted (no consent for individual care, or a statistics purpose). The
/// customer appears as a keyed hash only, so groups can count distinct customers; an erasure removes it.
/// </summary>
public sealed class AggregateSighting
{
    public required string Day { get; set; }

    public CaptureContext Context { get; set; }

    public DataCategory Category { get; set; }

    public required string CustomerHash { get; set; }
}
