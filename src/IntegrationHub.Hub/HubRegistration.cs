using IntegrationHub.Hub.Care;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Routing;
using IntegrationHub.Hub.Sagas;
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

        services.AddSingleton(options);
        services.AddSingleton(policy);
        services.AddSingleton(parties);
        services.AddSingleton<OperationalNeedPolicy>();
        services.AddSingleton<CaptureValidator>();
        services.AddSingleton<CompanyCheck>();
        services.AddSingleton<SagaAdmission>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddDbContext<HubDbContext>(db => db.UseSqliteStore(options.DatabasePath));
        services.AddScoped<HubOutbox>();
        services.AddScoped<CustomerCare>();
        services.AddScoped<DealerOperators>();
        services.AddScoped<DealerTakeover>();
        services.AddScoped<Requests.RequestDesk>();
        services.AddHostedService<HubStoreInitializer>();
        services.AddScoped<OutboxDesk>();
        services.AddSingleton<OutboxRetryRule>();
        services.AddSingleton<DispatcherLease>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<DeadlineSweeper>());
        services.AddLogging(logging => logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning));
        return services;
    }

    /// <summary>The customer sagas, on our SQLite repository, at the hub's inbound endpoint.</summary>
    public static void AddHubSagas(this IBusRegistrationConfigurator bus)
    {
        bus.AddSagaStateMachine<CustomerCareStateMachine, CustomerCareState>(typeof(CustomerCareSagaDefinition))
            .Repository(repository => repository.UseHubSqlite());
        bus.AddConsumer<RecordDealerOperatorChange, RecordDealerOperatorChangeDefinition>();
        bus.AddConsumer<CountHandedOverCustomers, CountHandedOverCustomersDefinition>();
    }

    /// <summary>
    /// Registers <see cref="SqliteSagaRepositoryContextFactory{TSaga}"/> for the saga. Must be called inside
    /// the saga's registration (also in the test harness), or MassTransit falls back to an in-memory repository.
    /// </summary>
    public static void UseHubSqlite(this ISagaRepositoryRegistrationConfigurator<CustomerCareState> repository)
    {
        repository.TryAddSingleton<ISagaConsumeContextFactory<HubDbContext, CustomerCareState>, SagaConsumeContextFactory<HubDbContext, CustomerCareState>>();
        repository.TryAddSingleton<ISagaProjection<CustomerCareState>, CustomerCareProjection>();
        repository.RegisterLoadSagaRepository<CustomerCareState, SqliteSagaRepositoryContextFactory<CustomerCareState>>();
        repository.RegisterQuerySagaRepository<CustomerCareState, SqliteSagaRepositoryContextFactory<CustomerCareState>>();
        repository.RegisterSagaRepository<CustomerCareState, HubDbContext, SagaConsumeContextFactory<HubDbContext, CustomerCareState>,
            SqliteSagaRepositoryContextFactory<CustomerCareState>>();
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
