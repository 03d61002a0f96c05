using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using IntegrationHub.Platform.Operations;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers;

/// <summary>
/// Runs one company worker against RabbitMQ with the company's own broker user, consuming only the
/// company's own queue. Configuration: Worker:Company, Worker:DatabasePath, Worker:BatchSize, Worker:Retention:&lt;Category&gt;,
/// Broker:* and RABBITMQ_URL.
/// </summary>
public static class WorkerHost
{
    public static async Task<int> Run(string[] args, string? company = null, IReadOnlyDictionary<DataCategory, string>? retention = null)
    {
        if (Build(args, company, retention) is not { } host)
        {
            return 64;
        }

        await host.RunAsync();
        return 0;
    }

    /// <summary>The worker's host, not yet started; null (with the reason on standard error) when no company is given.</summary>
    public static IHost? Build(string[] args, string? company = null, IReadOnlyDictionary<DataCategory, string>? retention = null,
        Action<HostApplicationBuilder>? adjust = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.AddOneLineConsole();
        adjust?.Invoke(builder);
        var options = builder.Configuration.GetSection("Worker").Get<WorkerOptions>() ?? new WorkerOptions();
        options.Company = (company ?? options.Company).ToUpperInvariant();
        if (options.Company.Length == 0)
        {
            Console.Error.WriteLine("worker: no company given (Worker:Company, e.g. --Worker:Company=OP-NORD)");
            return null;
        }

        if (options.BatchSize == 0)
        {
            Console.Error.WriteLine("worker: Worker:BatchSize must be at least 1");
            return null;
        }

        foreach (var (category, basis) in retention ?? new Dictionary<DataCategory, string>())
        {
            options.Retention.TryAdd(category, basis);
        }

        if (string.IsNullOrEmpty(options.DatabasePath))
        {
            options.DatabasePath = Path.Combine("data", $"{options.Company.ToLowerInvariant()}.db");
        }

        var broker = BrokerSettings.Development(BrokerNames.CompanyUser(options.Company));
        broker.ConnectionName = BrokerSettings.ProcessConnectionName($"worker-{broker.Username}");
        builder.Configuration.GetSection("Broker").Bind(broker);
        BoundShutdown(builder.Services);
        var worker = new CompanyWorker(options);
        worker.PrepareStore();

        builder.Services.AddSingleton(worker);
        builder.Services.AddSingleton<ICompanyQueueBatches, CompanyBatches>();
        builder.Services.AddOpsEndpoint(builder.Configuration, broker.ConnectionName);
        builder.Services.AddHealthChecks().AddStoreWritable("worker-store", options.DatabasePath);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.AddConsumer<CompanyCommands>();
            bus.AddConsumer<RequestNotices>();
            bus.ReceiveFromCompanyQueue(new CompanyQueue(options.Company, broker, broker.ConnectionName + "/receive") { BatchSize = options.BatchSize });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.ConnectTo(broker, context.GetService<ILoggerFactory>());
                rabbit.UsePlainJson();
                rabbit.PublishWithoutDeclaring(CompanyWorker.Answers);
            });
        });

        return builder.Build();
    }

    /// <summary>
    /// A worker stops within about ten seconds of SIGTERM, also when the broker is stopping too and
    /// answers nothing: the bus gets five seconds, the host ten. What was not acknowledged stays in the
    /// queue and comes again; every handler is idempotent.
    /// </summary>
    private static void BoundShutdown(IServiceCollection services)
    {
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services.Configure<MassTransitHostOptions>(bus => bus.StopTimeout = TimeSpan.FromSeconds(5));
    }

    /// <summary>What a company must keep after an erasure: the financial services companies' duties, nothing for the others.</summary>
    public static IReadOnlyDictionary<DataCategory, string>? RetentionOf(string company) =>
        company is CompanyIds.FinancialServices or CompanyIds.FinancialServicesKg ? FinancialServicesRetention : null;

    /// <summary>
    /// What the financial services companies must keep after an erasure: contract, financing and
    /// credit records under commercial, tax and banking law (DOMAIN.md section 5).
    /// </summary>
    public static readonly IReadOnlyDictionary<DataCategory, string> FinancialServicesRetention = new Dictionary<DataCategory, string>
    {
        [DataCategory.Contract] = "§ 257 HGB, § 147 AO (commercial and tax records, 10 years)",
        [DataCategory.FinancingLeasingInsurance] = "§ 257 HGB, § 147 AO (commercial and tax records, 10 years)",
        [DataCategory.CreditBank] = "§ 25a KWG, § 8 GwG (banking and anti-money-laundering records, 5 years)",
    };
}
