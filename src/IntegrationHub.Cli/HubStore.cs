using IntegrationHub.Hub;
using IntegrationHub.Hub.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Cli;

/// <summary>The reading commands' access to the hub's store (Hub:Store, Hub:DatabasePath or Hub:PostgresConnection) through the hub's own services.</summary>
internal static class HubStore
{
    /// <summary>Runs <paramref name="work"/> with <typeparamref name="TDesk"/> from the hub's services; 66 when there is no store.</summary>
    public static Task<int> With<TDesk>(Func<TDesk, IConfiguration, Task<int>> work) where TDesk : notnull =>
        With((services, config) => work(services.GetRequiredService<TDesk>(), config));

    /// <summary>Runs <paramref name="work"/> in a scope of the hub's services on its store; 66 when there is no store.</summary>
    public static async Task<int> With(Func<IServiceProvider, IConfiguration, Task<int>> work)
    {
        var config = HubCommandLine.Configuration();
        var options = RepositoryFiles.Resolve(config.GetSection("Hub").Get<HubOptions>() ?? new HubOptions());
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHubCore(options);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var store = provider.GetRequiredService<StoreEngine>();
        if (!store.Exists(scope.ServiceProvider.GetRequiredService<HubDbContext>()))
        {
            Console.Error.WriteLine(store.Kind == StoreEngine.Sqlite
                ? $"hub: no hub store at {store.Location} (set --Hub:DatabasePath=<file>; the demo prints its own)"
                : $"hub: no hub store in the PostgreSQL database {store.Location} (Hub:PostgresConnection or POSTGRES_URL)");
            return 66;
        }

        return await work(scope.ServiceProvider, config);
    }
}
