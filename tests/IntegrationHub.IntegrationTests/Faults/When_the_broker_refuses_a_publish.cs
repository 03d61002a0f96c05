using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 10: on RabbitMQ 3.10 a channel that began publishing to a quorum queue while the queue elected a
/// new leader can stay refused by that queue (When_a_cluster_node_is_lost), and MassTransit keeps its one
/// shared channel. A bus connected by WireConventions.ConnectTo answers a refused publish (basic.nack) by
/// connecting again, so that it publishes on new channels; here the broker refuses by a policy
/// (reject-publish at length 0) instead of by the lost leader, which a single node cannot show.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_the_broker_refuses_a_publish(OwnBroker broker, ITestOutputHelper output)
{
    private const string Queue = "company.op-sued";

    [Fact]
    public async Task Should_connect_again_and_deliver_once_the_queue_takes_it()
    {
        await broker.Purge(Queue);
        var name = $"refused-publish-test/{Guid.NewGuid():N}";
        var settings = new BrokerSettings { Host = "127.0.0.1", Port = (ushort)broker.AmqpPort, Username = "hub", Password = "hub-dev", ConnectionName = name };
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMassTransit(bus => bus.UsingRabbitMq((context, rabbit) =>
        {
            rabbit.ConnectTo(settings, context.GetService<Microsoft.Extensions.Logging.ILoggerFactory>());
            rabbit.UsePlainJson();
        }));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var endpoint = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(BrokerNames.CompanyAddress("OP-SUED"));
            await endpoint.Send(Delivery()).WaitAsync(TimeSpan.FromSeconds(30));
            var first = (await Eventually.Until(() => Connections(name), c => c.Count == 1, "the bus's connection listed", 30))[0];

            await broker.Refuse(Queue);
            Task refused;
            try
            {
                refused = endpoint.Send(Delivery(), new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
                await Eventually.Until(() => Connections(name), c => !c.Contains(first), "the bus's connection closed after the refused publish", 30);
            }
            finally
            {
                await broker.Accept();
            }

            // MassTransit tries the refused send again, on a new connection, where the queue now takes it.
            await refused.WaitAsync(TimeSpan.FromSeconds(60));
            var now = await Eventually.Until(() => Connections(name), c => c.Count == 1, "the bus connected again", 30);
            Assert.NotEqual(first, now[0]);
            output.WriteLine($"connection {first} replaced by {now[0]}");
            Assert.Equal(2u, await Eventually.Until(() => broker.Count(Queue), n => n >= 2, "both deliveries in the queue", 30));
        }
        finally
        {
            await host.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            await broker.Purge(Queue);
        }
    }

    /// <summary>The broker's names (addresses and ports) of the connections of this client-provided name.</summary>
    private async Task<List<string>> Connections(string name)
    {
        using var management = broker.Management();
        var connections = await management.GetFromJsonAsync<List<JsonElement>>("connections");
        var named = connections!
            .Where(c => c.GetProperty("client_properties").TryGetProperty("connection_name", out var n) && n.GetString() == name)
            .Select(c => c.GetProperty("name").GetString()!).ToList();
        return named;
    }

    private static DeliverCustomerData Delivery() => new()
    {
        DeliveryId = Guid.NewGuid(), CaptureId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), Recipient = "OP-SUED", SourceCompany = "PD",
        Context = CaptureContext.Workshop, Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
        Data = new CategoryData { [DataCategory.VehicleHistory] = new() { ["service"] = "inspection" } }, PolicyVersion = "test",
    };
}
