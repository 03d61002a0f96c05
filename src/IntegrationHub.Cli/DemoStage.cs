using IntegrationHub.Client;
using IntegrationHub.Contracts;
using IntegrationHub.Hub;
using IntegrationHub.Platform;
using IntegrationHub.Routing;
using IntegrationHub.Workers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Cli;

/// <summary>
/// Where the demo plays: the hub, every company worker (both dealer operators among them) and a
/// <see cref="HubClient"/> per company system, either in one process on MassTransit's in-memory
/// transport, or on RabbitMQ with every company's own broker login.
/// </summary>
internal abstract class DemoStage : IAsyncDisposable
{
    protected DemoStage(HubOptions options)
    {
        Options = options;
        Workers = PartyDirectory.LoadFile(options.PartiesPath).Companies
            .Select(c => new CompanyWorker(new WorkerOptions
            {
                Company = c.Id,
                DatabasePath = Path.Combine(Path.GetDirectoryName(options.DatabasePath)!, $"{c.Id.ToLowerInvariant()}.db"),
                Retention = new(WorkerHost.RetentionOf(c.Id) ?? new Dictionary<DataCategory, string>()),
            }))
            .ToList();
        Workers.ToList().ForEach(w => w.PrepareStore());
    }

    public HubOptions Options { get; }


    public IReadOnlyList<CompanyWorker> Workers { get; }

    /// <summary>The hub's services: its store, desk and audit, for the narrator.</summary>
    public abstract IServiceProvider Hub { get; }

    public abstract string Transport { get; }

    /// <summary>The company system of <paramref name="company"/>, publishing as that company.</summary>
    public abstract Task<HubClient> ClientOf(string company);

    public abstract Task Start();

    public abstract ValueTask DisposeAsync();

    public static DemoStage InMemory(HubOptions options) => new InMemoryStage(options);

    public static DemoStage OnRabbitMq(HubOptions options) => new RabbitMqStage(options);

    private sealed class InMemoryStage(HubOptions options) : DemoStage(options)
    {
        private IHost? _host;

        public override IServiceProvider Hub => _host!.Services;

        public override string Transport => "MassTransit's in-memory transport (one process)";

        public override Task<HubClient> ClientOf(string company) =>
            Task.FromResult(new HubClient(_host!.Services.GetRequiredService<IBus>(), new HubClientOptions { Company = company }));

        public override async Task Start()
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddHubCore(Options);
            builder.Services.AddMassTransit(bus =>
            {
                bus.DisableUsageTelemetry();
                bus.AddHubSagas();
                bus.UsingInMemory((context, memory) =>
                {
                    memory.UsePlainJson();
                    memory.ConfigureEndpoints(context);
                    foreach (var worker in Workers)
                    {
                        worker.ConfigureEndpoint(memory, context);
                    }
                });
            });
            _host = builder.Build();
            await _host.StartAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            if (_host is not null)
            {
                await _host.StopAsync();
                _host.Dispose();
            }
        }
    }

    /// <summary>One host for the hub, one per worker and one per company system, each with its own broker login.</summary>
    private sealed class RabbitMqStage(HubOptions options) : DemoStage(options)
    {
        private readonly List<IHost> _hosts = [];
        private readonly Dictionary<string, HubClient> _clients = [];
        private IHost? _hub;

        public override IServiceProvider Hub => _hub!.Services;

        public override string Transport
        {
            get
            {
                var broker = BrokerSettings.Development("hub");
                return $"RabbitMQ at {broker.Address} (vhost {broker.VirtualHost}), every company with its own login";
            }
        }

        public override async Task<HubClient> ClientOf(string company)
        {
            if (!_clients.TryGetValue(company, out var client))
            {
                var builder = Host.CreateApplicationBuilder();
                builder.Logging.ClearProviders();
                builder.Services.AddHubClient(new HubClientOptions { Company = company, Broker = BrokerSettings.Development(BrokerNames.CompanyUser(company)) });
                var host = builder.Build();
                await host.StartAsync();
                _hosts.Add(host);
                client = _clients[company] = host.Services.GetRequiredService<HubClient>();
            }

            return client;
        }

        public override async Task Start()
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddHubOnRabbitMq(Options, BrokerSettings.Development("hub"));
            _hub = builder.Build();
            _hosts.Add(_hub);
            foreach (var worker in Workers)
            {
                _hosts.Add(WorkerHost.Build([$"--Worker:DatabasePath={worker.DatabasePath}"], worker.CompanyId, WorkerHost.RetentionOf(worker.CompanyId), b => b.Logging.ClearProviders())!);
            }

            foreach (var host in _hosts)
            {
                await host.StartAsync();
            }
        }

        public override async ValueTask DisposeAsync()
        {
            foreach (var host in Enumerable.Reverse(_hosts))
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
    }
}
