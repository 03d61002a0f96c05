using IntegrationHub.Platform;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers;

/// <summary>One company's integration endpoint: its id, its queue and its store.</summary>
public sealed class CompanyWorker(string companyId, string databasePath)
{
    public string CompanyId { get; } = companyId;

    public string DatabasePath { get; } = databasePath;

    public string Queue => BrokerNames.CompanyQueue(CompanyId);

    public CompanyStore OpenStore() => CompanyStore.Open(DatabasePath);

    public void PrepareStore()
    {
        using var store = OpenStore();
        SqliteStore.Prepare(store);
    }

    /// <summary>
    /// The company's queue receives only what the hub sends to it: no message-type exchanges are
    /// bound to it (ConfigureConsumeTopology off), so nothing published reaches it by accident.
    /// </summary>
    public void ConfigureEndpoint(IBusFactoryConfigurator configurator, IBusRegistrationContext context)
    {
        configurator.ReceiveEndpoint(Queue, endpoint =>
        {
            endpoint.ConfigureConsumeTopology = false;
            endpoint.UseQuorumQueue();
            endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 2_000));
            endpoint.Consumer(() => new StoreDeliveredCustomerData(
                this,
                context.GetService<TimeProvider>() ?? TimeProvider.System,
                context.GetRequiredService<ILogger<StoreDeliveredCustomerData>>()));
        });
    }
}
