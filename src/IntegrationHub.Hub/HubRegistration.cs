using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Deadlines;
using IntegrationHub.Hub.Inbound;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Hub.Takeovers;
using IntegrationHub.Hub.UnitOfWork;
using IntegrationHub.Platform;
using IntegrationHub.Routing;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub;

public static class HubRegistration
{
    /// <summary>
    /// Registers the hub's policy, directory, store, outbox dispatcher and deadline sweeper. The policy
    /// files are read and validated here, so a wrong file stops the process before it connects to
    /// anything. Call before AddMassTransit: the store is prepared by a hosted service that must start
    /// before the bus.
    /// </summary>
    public static IServiceCollection AddHubCore(this IServiceCollection services, HubOptions options)
    {
        var policy = RoutingPolicyLoader.LoadFile(options.PolicyPath);
        var parties = PartyDirectory.LoadFile(options.PartiesPath);
        var store = StoreEngine.For(options);

        services.AddSingleton(options);
        services.AddSingleton(policy);
        services.AddSingleton(parties);
        services.AddSingleton<OperationalNeedPolicy>();
        services.AddSingleton<CaptureValidator>();
        services.AddSingleton<CompanyCheck>();
        services.AddSingleton<CustomerHashing>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(store);
        services.AddDbContext<HubDbContext>(db => store.Use(db));
        services.AddMetrics();
        services.AddSingleton<Operations.HubTimings>();
        services.AddSingleton<HubWriter>();
        services.AddScoped<HubOutbox>();
        services.AddScoped<HubAudit>();
        services.AddScoped<DealerOperators>();
        services.AddScoped<CaptureRouting>();
        services.AddScoped<RequestOpening>();
        services.AddScoped<DealerHandOver>();
        services.AddScoped<CustomerErasure>();
        services.AddScoped<RequestFanOut>();
        services.AddScoped<RequestDeadlines>();
        services.AddScoped<TakeoverSteps>();
        services.AddScoped<RequestDesk>();
        services.AddScoped(typeof(HubUnitOfWork<>));
        services.AddScoped(typeof(CustomerAdmission<>));
        services.AddHostedService<HubStoreInitializer>();
        services.AddScoped<OutboxDesk>();
        services.AddSingleton<OutboxRetryRule>();
        services.AddSingleton<DispatcherLease>();
        services.AddSingleton<Scaling.HubMembership>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<DeadlineSweeper>());
        services.AddLogging(logging => logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning));
        return services;
    }

    /// <summary>
    /// The customer, request and takeover sagas and the hub's consumers, on our repository in the hub's store, at
    /// the hub's inbound endpoint with its conventions (<see cref="HubEndpoint"/>).
    /// </summary>
    public static void AddHubSagas(this IBusRegistrationConfigurator bus)
    {
        bus.AddSagaStateMachine<CustomerStateMachine, CustomerState>(typeof(HubSagaDefinition<CustomerState>))
            .Repository(repository => repository.UseHubStore<CustomerState, CustomerProjection>());
        bus.AddSagaStateMachine<RequestStateMachine, RequestState>(typeof(HubSagaDefinition<RequestState>))
            .Repository(repository => repository.UseHubStore<RequestState, RequestProjection>());
        bus.AddSagaStateMachine<TakeoverStateMachine, TakeoverState>(typeof(HubSagaDefinition<TakeoverState>))
            .Repository(repository => repository.UseHubStore<TakeoverState, TakeoverProjection>());
        bus.AddConsumer<RecordDealerOperatorChange, RecordDealerOperatorChangeDefinition>();
        bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
        {
            if (name == BrokerNames.HubInboundQueue)
            {
                HubEndpoint.Configure(context, endpoint, context.GetRequiredService<HubOptions>());
            }
        });
    }

    /// <summary>
    /// Registers <see cref="HubSagaRepositoryContextFactory{TSaga}"/> for the saga. Must be called inside
    /// the saga's registration (also in the test harness), or MassTransit falls back to an in-memory repository.
    /// </summary>
    private static void UseHubStore<TSaga, TProjection>(this ISagaRepositoryRegistrationConfigurator<TSaga> repository)
        where TSaga : class, IHubSaga
        where TProjection : class, ISagaProjection<TSaga>
    {
        repository.TryAddSingleton<ISagaConsumeContextFactory<HubDbContext, TSaga>, SagaConsumeContextFactory<HubDbContext, TSaga>>();
        repository.TryAddSingleton<ISagaProjection<TSaga>, TProjection>();
        repository.RegisterLoadSagaRepository<TSaga, HubSagaRepositoryContextFactory<TSaga>>();
        repository.RegisterQuerySagaRepository<TSaga, HubSagaRepositoryContextFactory<TSaga>>();
        repository.RegisterSagaRepository<TSaga, HubDbContext, SagaConsumeContextFactory<HubDbContext, TSaga>, HubSagaRepositoryContextFactory<TSaga>>();
    }

    private sealed class HubStoreInitializer(IServiceScopeFactory scopes, StoreEngine store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            using var scope = scopes.CreateScope();
            store.Prepare(scope.ServiceProvider.GetRequiredService<HubDbContext>());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>Every saga of the hub lives at the hub's inbound endpoint.</summary>
public sealed class HubSagaDefinition<TSaga> : SagaDefinition<TSaga>
    where TSaga : class, ISaga
{
    public HubSagaDefinition() => EndpointName = BrokerNames.HubInboundQueue;
}
