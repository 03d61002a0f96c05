using IntegrationHub.Platform;
using IntegrationHub.Hub.Persistence;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub;

public static class HubOnRabbitMq
{
    /// <summary>The hub process: its core and its bus on RabbitMQ, with the hub's own broker user.</summary>
    public static IServiceCollection AddHubOnRabbitMq(this IServiceCollection services, HubOptions options, BrokerSettings broker)
    {
        services.AddHubCore(options);

        // Operations tell the hubs' connections apart from the workers' in the management UI.
        if (broker.ConnectionName.Length == 0)
        {
            broker.ConnectionName = BrokerSettings.ProcessConnectionName("hub");
        }

        services.AddSingleton(broker);
        services.AddSingleton<Customers.ParkedCopyScrubber>();
        services.AddHostedService(provider => provider.GetRequiredService<Customers.ParkedCopyScrubber>());

        // Readiness: MassTransit's bus check (broker connected, hub.inbound consumed) and the store.
        services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            "hub-store", provider => provider.GetRequiredService<StoreEngine>().WritableCheck(), failureStatus: null, tags: ["ready"]));
        if (options.Partitioned)
        {
            // Several hubs: hub.inbound is read by the sequencer, the sagas live at the partition queues this hub owns.
            services.AddSingleton<Scaling.InboundSequencer>();
            services.AddHostedService(provider => provider.GetRequiredService<Scaling.InboundSequencer>());
            services.AddSingleton<Scaling.PartitionsInHand>();
            services.AddSingleton<Scaling.PartitionConsumers>();
            services.AddSingleton<Scaling.HubPartitions>();
            services.AddHostedService(provider => provider.GetRequiredService<Scaling.HubPartitions>());
        }

        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.AddHubSagas();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.ConnectTo(broker, context.GetService<ILoggerFactory>());
                rabbit.UsePlainJson();
                Scaling.HubParking.Configure(rabbit);
                if (!options.Partitioned)
                {
                    rabbit.ConfigureEndpoints(context);
                }
                else
                {
                    // What each partition queue's endpoint has in hand, for handing it over (HubPartitions).
                    rabbit.ConnectReceiveObserver(context.GetRequiredService<Scaling.PartitionsInHand>());
                }
            });
        });
        return services;
    }
}
