using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Routing;
using IntegrationHub.Platform;
using IntegrationHub.Routing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub;

public static class HubRegistration
{
    /// <summary>
    /// Registers the hub's policy, directory and store. The policy files are read and validated here,
    /// so a wrong file stops the process before it connects to anything. Call before AddMassTransit:
    /// the store is prepared by a hosted service that must start before the bus.
    /// </summary>
    public static IServiceCollection AddHubCore(this IServiceCollection services, HubOptions options)
    {
        var policy = RoutingPolicyLoader.LoadFile(options.PolicyPath);
        var parties = PartyDirectory.LoadFile(options.PartiesPath);

        services.AddSingleton(options);
        services.AddSingleton(policy);
        services.AddSingleton(parties);
        services.AddSingleton<OperationalNeedPolicy>();
        services.AddSingleton<CaptureValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddDbContext<HubDbContext>(db => db.UseSqlite(SqliteStore.ConnectionString(options.DatabasePath)));
        services.AddHostedService<HubStoreInitializer>();
        services.AddLogging(logging => logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning));
        return services;
    }

    public static void AddHubConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RouteCapturedCustomerData>();
        bus.AddConsumer<RecordConsent>();
    }

    /// <summary>The hub's inbound endpoint: quorum queue, customer partitioning, no retries for refused input.</summary>
    public static void ConfigureHubEndpoint(this IBusFactoryConfigurator configurator, IBusRegistrationContext context)
    {
        var options = context.GetRequiredService<HubOptions>();
        configurator.ReceiveEndpoint(BrokerNames.HubInboundQueue, endpoint =>
        {
            endpoint.UseQuorumQueue();
            endpoint.UseMessageRetry(retry =>
            {
                retry.Ignore<InvalidMessageException>();
                retry.Intervals(100, 500, 2_000, 5_000);
            });

            // One customer's messages one after another, so two of them never race on its state.
            var partitioner = endpoint.CreatePartitioner(options.Partitions);
            endpoint.ConfigureConsumer<RouteCapturedCustomerData>(context, consumer =>
                consumer.Message<CustomerDataCaptured>(m => m.UsePartitioner(partitioner, p => p.Message.CustomerId)));
            endpoint.ConfigureConsumer<RecordConsent>(context, consumer =>
            {
                consumer.Message<ConsentGiven>(m => m.UsePartitioner(partitioner, p => p.Message.CustomerId));
                consumer.Message<ConsentWithdrawn>(m => m.UsePartitioner(partitioner, p => p.Message.CustomerId));
            });
        });
    }

    private sealed class HubStoreInitializer(IServiceScopeFactory scopes) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            using var scope = scopes.CreateScope();
            SqliteStore.Prepare(scope.ServiceProvider.GetRequiredService<HubDbContext>());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
