using IntegrationHub.Client;
using IntegrationHub.Contracts;
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

        var later = await Assert.ThrowsAsync<HubUnavailableException>(() => client.GiveConsent(consent).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("calls fail at once", later.Message);
        await pd.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
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
