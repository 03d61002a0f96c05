using IntegrationHub.Hub;
using IntegrationHub.Hub.Operations;
using IntegrationHub.Platform;
using IntegrationHub.Platform.Operations;
using IntegrationHub.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The processes the benchmark measures, started by it as children of this same executable:
/// <c>--host hub --Hub:DatabasePath=…</c> is what <c>hub serve</c> runs (the hub on RabbitMQ with the
/// hub's user; the policy files copied next to this executable), <c>--host worker COMPANY
/// --Worker:DatabasePath=…</c> what <c>hub worker COMPANY</c> runs. Both log warnings and errors only.
/// </summary>
public static class BenchHost
{
    public static async Task<int> Run(string[] args)
    {
        var settings = args.Skip(1).Append("--Logging:LogLevel:Default=Warning").ToArray();
        switch (args.FirstOrDefault())
        {
            case "hub":
                var builder = Host.CreateApplicationBuilder(settings);
                var options = builder.Configuration.GetSection("Hub").Get<HubOptions>() ?? new HubOptions();
                options.PolicyPath = Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json");
                options.PartiesPath = Path.Combine(AppContext.BaseDirectory, "policy", "parties.json");
                builder.Services.AddHubOnRabbitMq(options, BrokerSettings.Development("hub"));

                // With --Ops:Port, /metrics (the hub's timings, GC pauses, thread-pool delays) without
                // HubMetrics's reading of the audit trail, whose CPU is not in these figures.
                builder.Services.AddOpsEndpoint(builder.Configuration, "integration-hub", HubMetrics.MeterName);
                await builder.Build().RunAsync();
                return 0;
            case "worker" when args.Length > 1:
                var company = args[1].ToUpperInvariant();
                var retention = company is "PFS" or "PFSKG" ? WorkerHost.FinancialServicesRetention : null;
                return await WorkerHost.Run(args.Skip(2).Append("--Logging:LogLevel:Default=Warning").ToArray(), company, retention);
            default:
                Console.Error.WriteLine("usage: --host hub --Hub:DatabasePath=<file> | --host worker <COMPANY> --Worker:DatabasePath=<file>");
                return 64;
        }
    }
}
