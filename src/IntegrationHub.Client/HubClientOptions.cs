using IntegrationHub.Platform;

namespace IntegrationHub.Client;

/// <summary>How a company system talks to the hub ("HubClient" configuration section).</summary>
public sealed class HubClientOptions
{
    /// <summary>The company this system speaks for: PAG, PD, PFS, PFSKG, PSM or a dealer operator id.</summary>
    public string Company { get; set; } = "";

    /// <summary>The broker; username defaults to the company's broker user. Put the password in configuration or the environment.</summary>
    public BrokerSettings Broker { get; set; } = new();

    /// <summary>How long one publish may wait for the broker's confirm before it counts as failed and is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a call may take in all, retries included: after it the caller gets a clear failure.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public int Retries { get; set; } = 3;

    /// <summary>After this many failed publishes in a row (within a minute) calls fail at once for <see cref="BreakDuration"/>.</summary>
    public int BreakAfterFailures { get; set; } = 4;

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
