using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Workers;

/// <summary>One company's integration endpoint: its id, its queue, its store and its retention duties.</summary>
public sealed class CompanyWorker(WorkerOptions options)
{
    public CompanyWorker(string companyId, string databasePath)
        : this(new WorkerOptions { Company = companyId, DatabasePath = databasePath })
    {
    }

    public WorkerOptions Options { get; } = options;

    public string CompanyId => Options.Company;

    public string DatabasePath => Options.DatabasePath;

    public string Queue => BrokerNames.CompanyQueue(CompanyId);

    public CompanyStore OpenStore() => CompanyStore.Open(DatabasePath);

    /// <summary>The keyed hash that stands for an erased customer in this company's store.</summary>
    public string CustomerHash(Guid customerId) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Options.CustomerHashKey), customerId.ToByteArray())).ToLowerInvariant();

    public void PrepareStore()
    {
        using var store = OpenStore();
        SqliteStore.Prepare(store);
    }

    /// <summary>
    /// The worker's endpoint on MassTransit's in-memory transport (the demo and the harness tests).
    /// On RabbitMQ the worker reads its queue through <see cref="CompanyQueueReceiver"/> instead, which
    /// declares nothing. The company's queue receives only what the hub sends to it: no message-type
    /// exchanges are bound to it (ConfigureConsumeTopology off), so nothing published reaches it by accident.
    /// </summary>
    public void ConfigureEndpoint(IBusFactoryConfigurator configurator, IBusRegistrationContext context)
    {
        configurator.ReceiveEndpoint(Queue, endpoint =>
        {
            endpoint.ConfigureConsumeTopology = false;
            endpoint.UseQuorumQueue();

            // In queue order, one at a time: a delivery that reached the queue before a hand-over or
            // an erasure command is stored before that command is carried out, never after it.
            endpoint.ConcurrentMessageLimit = 1;
            endpoint.UseCompanyRetry();
            endpoint.Consumer(() => new CompanyCommands(
                this,
                context.GetService<TimeProvider>() ?? TimeProvider.System,
                context.GetRequiredService<ILogger<CompanyCommands>>()));
            endpoint.Consumer(() => new RequestNotices(this, context.GetRequiredService<ILogger<RequestNotices>>()));
        });
    }

    /// <summary>The answers a worker publishes to the hub.</summary>
    public static readonly Type[] Answers = WireConventions.CompanyAnswers;
}
