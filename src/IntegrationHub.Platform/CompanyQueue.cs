namespace IntegrationHub.Platform;

/// <summary>
/// A company's queue as its own process reads it: with the company's broker user, on a connection
/// named after the company and the process (for example <c>worker-pag</c>), so operations can tell
/// the connections apart.
/// </summary>
public sealed record CompanyQueue(string CompanyId, BrokerSettings Broker, string ConnectionName)
{
    public string Name => BrokerNames.CompanyQueue(CompanyId);

    /// <summary>Where a message that cannot be carried out is parked with its reason: <c>company.&lt;user&gt;_error</c>.</summary>
    public string ErrorQueue => BrokerNames.CompanyErrorQueue(CompanyId);
}
