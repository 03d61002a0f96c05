using IntegrationHub.Client;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Requests;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.IntegrationTests;

[Collection(HubCollection.Name)]
public sealed class When_a_dotnet_system_uses_the_client(HubProcess hub)
{
    [Fact]
    public async Task Should_publish_through_the_hub_and_deliver_to_the_subscriber_of_another_company()
    {
        Assert.NotNull(hub.Services);
        var received = System.Threading.Channels.Channel.CreateUnbounded<DeliverCustomerData>();
        var customer = Guid.NewGuid();
        using var pag = await StartClient("PAG", subscribe: bus => bus.AddConsumer<RecordingConsumer>(), services => services.AddSingleton(received));
        using var pd = await StartClient("PD");

        await pd.Services.GetRequiredService<HubClient>().Capture(new CustomerDataCaptured
        {
            CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop,
            Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
            Data = new CategoryData
            {
                [DataCategory.VehicleHistory] = new() { ["service"] = "oil change" },
                [DataCategory.Voluntary] = new() { ["note"] = "prefers mornings" },
            },
        });

        // The queue may still hold deliveries of earlier tests; this system takes them all, in order.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        DeliverCustomerData delivery;
        do
        {
            delivery = await received.Reader.ReadAsync(patience.Token);
        }
        while (delivery.CustomerId != customer);

        Assert.Equal(customer, delivery.CustomerId);
        Assert.Equal([DataCategory.VehicleHistory], delivery.Data.Keys);
        await pag.StopAsync();
        await pd.StopAsync();
    }

    [Fact]
    public async Task Should_refuse_at_once_a_message_that_speaks_for_another_company()
    {
        using var pd = await StartClient("PD");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => pd.Services.GetRequiredService<HubClient>().RequestErasure(
            new ErasureRequested { RequestId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), ReceivedBy = "PAG", ReceivedAt = DateTimeOffset.UtcNow }));

        Assert.Contains("speaks for PAG, but this client is PD", error.Message);
        await pd.StopAsync();
    }

    [Fact]
    public async Task Should_fail_clearly_instead_of_hanging_when_the_broker_cannot_be_reached_and_then_fail_fast()
    {
        // Nothing listens on port 1: every attempt fails, the caller must still get an answer.
        using var pd = await StartClient("PD", configure: options =>
        {
            options.Broker.Port = 1;
            options.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            options.TotalTimeout = TimeSpan.FromSeconds(2);
            options.Retries = 2;
            options.BreakAfterFailures = 3;
        });
        var client = pd.Services.GetRequiredService<HubClient>();
        var consent = new ConsentGiven
        {
            ConsentId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), Channel = ConsentChannel.Web, WordingVersion = "2026-03", CapturedBy = "PD", GivenAt = DateTimeOffset.UtcNow,
        };

        var first = await Assert.ThrowsAsync<HubUnavailableException>(() => client.GiveConsent(consent).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("publishing it again is safe", first.Message);

        // The breaker opens once BreakAfterFailures attempts have failed in a row. How many calls that
        // takes depends on how many attempts the total timeout left room for (the retries' back-off is
        // jittered, and a busy machine is slow): every call fails clearly, and within a few calls they fail at once.
        HubUnavailableException later;
        var calls = 1;
        do
        {
            later = await Assert.ThrowsAsync<HubUnavailableException>(() => client.GiveConsent(consent).WaitAsync(TimeSpan.FromSeconds(30)));
        }
        while (!later.Message.Contains("calls fail at once") && ++calls <= 4);

        Assert.Contains("calls fail at once", later.Message);
        await pd.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
    }

    /// <summary>
    /// Issue 13, item 8: a .NET company system built on HubClient alone (no worker library) stores its
    /// deliveries and answers a rectification submitted by staff with a values file, an access request
    /// with every record, and an erasure; every request completes.
    /// </summary>
    [Fact]
    public async Task Should_take_part_in_rectification_access_and_erasure_with_the_client_alone()
    {
        var customer = Guid.NewGuid();
        var store = new CompanySystem();
        using var psm = await StartClient("PSM", subscribe: bus => bus.AddConsumer<CompanySystem.Consumer>(), services => services.AddSingleton(store));
        using var pag = await StartClient("PAG");
        using var pd = await StartClient("PD");

        // A My Porsche login, old and new: of these captures only PSM receives anything.
        foreach (var login in new[] { "old@example.org", "new@example.org" })
        {
            await pag.Services.GetRequiredService<HubClient>().Capture(new CustomerDataCaptured
            {
                CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = "PAG", Context = CaptureContext.MyPorscheConnect, Purpose = Purpose.JointCare,
                CapturedAt = DateTimeOffset.UtcNow, Data = new CategoryData { [DataCategory.PorscheIdAccount] = new() { ["login"] = login, ["name"] = "Beispiel" } },
            });
        }

        await Eventually.Until(() => Task.FromResult(store.Held(customer).Count), count => count == 2, "both deliveries stored by the client system");

        var values = Path.Combine(Path.GetTempPath(), $"ih-values-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(values, """{"PorscheIdAccount": {"name": "Beispiel-Neu"}}""");
        var (exitCode, output, errors) = await HubCommand.Run("request", "rectification", "--customer", customer.ToString(), "--values", values);
        File.Delete(values);
        Assert.True(exitCode == 0, errors);
        var rectification = Guid.Parse(output.Trim());
        var rectified = await Eventually.Until(() => Status(rectification), s => s?.State == "done", "rectification done");
        Assert.Equal((DataCategory.PorscheIdAccount, OutcomeKind.Changed, 2), Outcome(rectified!));

        var access = new AccessRequested { RequestId = Guid.NewGuid(), CustomerId = customer, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow };
        await pd.Services.GetRequiredService<HubClient>().RequestAccess(access);
        var provided = await Eventually.Until(() => Status(access.RequestId), s => s?.State == "done", "access request done");
        Assert.Equal((DataCategory.PorscheIdAccount, OutcomeKind.Provided, 2), Outcome(provided!));
        var report = await Desk(d => d.AccessReport(access.RequestId));
        var records = report!.Companies.Single(c => c.Id == "PSM").Records!;
        Assert.Equal(["old@example.org", "new@example.org"], records.Select(r => r.Fields["login"]));
        Assert.All(records, r => Assert.Equal("Beispiel-Neu", r.Fields["name"]));

        var erasure = new ErasureRequested { RequestId = Guid.NewGuid(), CustomerId = customer, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow };
        await pd.Services.GetRequiredService<HubClient>().RequestErasure(erasure);
        await hub.UntilErased(erasure.RequestId);
        Assert.Empty(store.Held(customer));
        await psm.StopAsync();
        await pag.StopAsync();
        await pd.StopAsync();
    }

    private static (DataCategory, OutcomeKind, int) Outcome(RequestStatus status)
    {
        var outcome = Assert.Single(Assert.Single(status.Receipts, r => r.Company == "PSM").Outcomes);
        return (outcome.Category, outcome.Outcome, outcome.RecordCount);
    }

    private Task<RequestStatus?> Status(Guid requestId) => Desk(d => d.Status(requestId));

    private async Task<T> Desk<T>(Func<RequestDesk, Task<T>> ask)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await ask(scope.ServiceProvider.GetRequiredService<RequestDesk>());
    }

    /// <summary>A company system's own store, in memory: the records it received, each with its origin.</summary>
    public sealed class CompanySystem
    {
        private readonly Dictionary<Guid, List<(Guid Id, CategoryRecord Record)>> _held = [];

        public List<(Guid Id, CategoryRecord Record)> Held(Guid customer)
        {
            lock (_held)
            {
                return _held.TryGetValue(customer, out var records) ? [.. records] : [];
            }
        }

        private void Change(Guid customer, Func<List<(Guid Id, CategoryRecord Record)>, List<(Guid Id, CategoryRecord Record)>> change)
        {
            lock (_held)
            {
                _held[customer] = change(_held.TryGetValue(customer, out var records) ? records : []);
            }
        }

        private static ActionReceipt Receipt(List<(Guid Id, CategoryRecord Record)> records, OutcomeKind outcome) => new()
        {
            Outcomes = records.GroupBy(r => r.Record.Category).OrderBy(g => g.Key)
                .Select(g => new CategoryOutcome { Category = g.Key, Outcome = outcome, RecordCount = g.Count() }).ToList(),
            Digest = RecordsDigest.Of(records.Select(r => new DigestedRecord(r.Id, r.Record.Category, r.Record.Fields))),
            CompletedAt = DateTimeOffset.UtcNow,
        };

        /// <summary>The commands this system takes, each answered through HubClient with the answer of the interface page's table.</summary>
        public sealed class Consumer(CompanySystem system, HubClient client) :
            IConsumer<DeliverCustomerData>, IConsumer<RectifyCustomerData>, IConsumer<ProvideCustomerData>, IConsumer<EraseCustomerData>
        {
            public Task Consume(ConsumeContext<DeliverCustomerData> context)
            {
                var m = context.Message;
                system.Change(m.CustomerId, held => [.. held, .. m.Data.Where(d => !held.Any(h => h.Id == m.DeliveryId && h.Record.Category == d.Key)).Select(d => (m.DeliveryId,
                    new CategoryRecord
                    {
                        Category = d.Key, Fields = d.Value, SourceCompany = m.SourceCompany, DealerId = m.DealerId, Context = m.Context, ContractKind = m.ContractKind,
                        Purpose = m.Purpose, CapturedAt = m.CapturedAt, ReceivedAt = DateTimeOffset.UtcNow,
                    }))]);
                return Task.CompletedTask;
            }

            public Task Consume(ConsumeContext<RectifyCustomerData> context)
            {
                var m = context.Message;
                var concerned = system.Held(m.CustomerId).Where(r => m.Corrections.ContainsKey(r.Record.Category)).ToList();
                var receipt = Receipt(concerned, OutcomeKind.Changed);
                system.Change(m.CustomerId, held => held.Select(h => m.Corrections.TryGetValue(h.Record.Category, out var corrected)
                    ? (h.Id, h.Record with { Fields = new Dictionary<string, string>(h.Record.Fields.Concat(corrected).GroupBy(f => f.Key).Select(g => g.Last())) })
                    : h).ToList());
                return client.Answer(new CustomerDataRectified { CommandId = m.CommandId, RequestId = m.RequestId, CustomerId = m.CustomerId, Company = "PSM", Receipt = receipt },
                    context.CancellationToken);
            }

            public Task Consume(ConsumeContext<ProvideCustomerData> context)
            {
                var m = context.Message;
                var held = system.Held(m.CustomerId);
                return client.Answer(new CustomerDataProvided
                {
                    CommandId = m.CommandId, RequestId = m.RequestId, CustomerId = m.CustomerId, Company = "PSM", Receipt = Receipt(held, OutcomeKind.Provided),
                    Records = held.Select(h => h.Record).ToList(),
                }, context.CancellationToken);
            }

            public Task Consume(ConsumeContext<EraseCustomerData> context)
            {
                var m = context.Message;
                var receipt = Receipt(system.Held(m.CustomerId), OutcomeKind.Erased);
                system.Change(m.CustomerId, _ => []);
                return client.Answer(new CustomerDataErased { CommandId = m.CommandId, RequestId = m.RequestId, CustomerId = m.CustomerId, Company = "PSM", Receipt = receipt },
                    context.CancellationToken);
            }
        }
    }

    private static async Task<IHost> StartClient(string company, Action<IBusRegistrationConfigurator>? subscribe = null,
        Action<IServiceCollection>? services = null, Action<HubClientOptions>? configure = null)
    {
        var options = new HubClientOptions { Company = company, Broker = Broker.Settings(company.ToLowerInvariant()) };
        configure?.Invoke(options);
        var builder = Host.CreateApplicationBuilder();
        services?.Invoke(builder.Services);
        builder.Services.AddHubClient(options, subscribe);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public sealed class RecordingConsumer(System.Threading.Channels.Channel<DeliverCustomerData> received) : IConsumer<DeliverCustomerData>
    {
        public async Task Consume(ConsumeContext<DeliverCustomerData> context) => await received.Writer.WriteAsync(context.Message);
    }
}
