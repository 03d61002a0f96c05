using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Client;

public static class HubClientRegistration
{
    /// <summary>Everything a company system publishes to the hub: captures, consents, requests, deadline extensions and the answers to its commands.</summary>
    public static readonly Type[] Publishes =
    [
        typeof(CustomerDataCaptured), typeof(ConsentGiven), typeof(ConsentWithdrawn), typeof(AccessRequested), typeof(RectificationRequested),
        typeof(ErasureRequested), typeof(RestrictionRequested), typeof(RestrictionLiftRequested), typeof(PortabilityRequested),
        typeof(ObjectionLodged), typeof(DirectMarketingObjectionLodged), typeof(DealerOperatorChangeAnnounced), typeof(ExtendRequestDeadline),
        .. WireConventions.CompanyAnswers,
    ];

    /// <summary>
    /// A bus for one company system on RabbitMQ, with <see cref="HubClient"/>. To receive deliveries,
    /// register consumers of <see cref="DeliverCustomerData"/> (or of the rights commands) with
    /// <paramref name="subscribe"/>; they listen on the company's own queue.
    /// </summary>
    public static IServiceCollection AddHubClient(this IServiceCollection services, HubClientOptions options,
        Action<IBusRegistrationConfigurator>? subscribe = null)
    {
        if (string.IsNullOrEmpty(options.Broker.Username))
        {
            options.Broker.Username = BrokerNames.CompanyUser(options.Company);
        }

        if (string.IsNullOrEmpty(options.Broker.ConnectionName))
        {
            options.Broker.ConnectionName = BrokerSettings.ProcessConnectionName($"client-{options.Broker.Username}");
        }

        services.AddSingleton(options);
        services.AddSingleton(provider => new HubClient(provider.GetRequiredService<IBus>(), options));
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            if (subscribe is not null)
            {
                // The company's user may not declare its queue (that right would let it delete it): no receive endpoint.
                subscribe(bus);
                bus.ReceiveFromCompanyQueue(new CompanyQueue(options.Company, options.Broker, options.Broker.ConnectionName + "/receive"));
            }

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.ConnectTo(options.Broker, context.GetService<ILoggerFactory>());
                rabbit.UsePlainJson();
                rabbit.PublishWithoutDeclaring(Publishes);
            });
        });
        return services;
    }
}
