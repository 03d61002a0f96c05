using IntegrationHub.Hub;
using IntegrationHub.Platform;
using IntegrationHub.Workers;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.Cli;

/// <summary>Long-running processes against RabbitMQ: the hub, or one company worker.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunHub(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var hubOptions = builder.Configuration.GetSection("Hub").Get<HubOptions>() ?? new HubOptions();
        var broker = BrokerSettingsFrom(builder.Configuration, "hub");

        // The policy files first (a wrong one stops the hub with exit code 2 and the field named),
        // then the broker, before anything starts.
        builder.Services.AddHubOnRabbitMq(hubOptions, broker);
        if (await BrokerProbe.Problem(broker) is { } problem)
        {
            Console.Error.WriteLine($"hub: not starting: {problem}");
            return 69;
        }

        await builder.Build().RunAsync();
        return 0;
    }

    public static Task<int> RunWorker(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: hub worker <COMPANY>");
            return Task.FromResult(64);
        }

        var company = args[0].ToUpperInvariant();
        var retention = company is "PFS" or "PFSKG" ? WorkerHost.FinancialServicesRetention : null;
        return WorkerHost.Run(args[1..], company, retention);
    }

    /// <summary>"Broker" section first, then the development defaults for the user (loopback only).</summary>
    private static BrokerSettings BrokerSettingsFrom(IConfiguration configuration, string defaultUser)
    {
        var settings = BrokerSettings.Development(defaultUser);
        configuration.GetSection("Broker").Bind(settings);
        return settings;
    }
}
