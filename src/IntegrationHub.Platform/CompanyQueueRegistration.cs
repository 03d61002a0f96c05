using MassTransit;
using MassTransit.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Platform;

public static class CompanyQueueRegistration
{
    /// <summary>
    /// The registered consumers receive from the company's queue through <see cref="CompanyQueueReceiver"/>
    /// (no declaration, no configure permission needed), with MassTransit's retry before a message is
    /// parked in the company's error queue. Call inside AddMassTransit; configure no receive endpoint for the queue.
    /// </summary>
    public static void ReceiveFromCompanyQueue(this IBusRegistrationConfigurator bus, CompanyQueue queue)
    {
        bus.AddConfigureEndpointsCallback((name, endpoint) =>
        {
            if (name == queue.Name)
            {
                endpoint.UseCompanyRetry();
            }
        });
        bus.TryAddSingleton<IReceiveEndpointDispatcherFactory>(provider =>
            new ReceiveEndpointDispatcherFactory(provider.GetRequiredService<IBusRegistrationContext>(), provider.GetRequiredService<IBusInstance>()));
        bus.AddSingleton(queue);
        bus.AddSingleton<CompanyQueueReceiver>();
        bus.AddHostedService(provider => provider.GetRequiredService<CompanyQueueReceiver>());
        bus.AddHealthChecks().AddCheck<Operations.CompanyQueueHealthCheck>("company-queue", tags: ["ready"]);
    }
}
