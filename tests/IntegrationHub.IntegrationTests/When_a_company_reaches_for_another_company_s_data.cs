using System.Text;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The broker itself, not our code, keeps the companies apart: every ordered pair of different
/// companies (dealer operators included), every attempt, refused with ACCESS_REFUSED (403).
/// </summary>
public sealed class When_a_company_reaches_for_another_company_s_data
{
    private static readonly string[] Companies = ["pag", "pd", "pfs", "pfskg", "psm", "op-nord", "op-sued"];

    public static TheoryData<string, string> EveryOrderedPair()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var a in Companies)
        {
            foreach (var b in Companies.Where(b => b != a))
            {
                pairs.Add(a, b);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(EveryOrderedPair))]
    public async Task Should_refuse_every_attempt(string a, string b)
    {
        await using var connection = await Broker.Connect(a);
        var refusals = new List<string>();

        await Refused(connection, "consume from B's queue", refusals, channel =>
            channel.BasicConsumeAsync("company." + b, autoAck: false, new AsyncEventingBasicConsumer(channel)));
        await Refused(connection, "take one message from B's queue", refusals, channel =>
            channel.BasicGetAsync("company." + b, autoAck: true));
        await Refused(connection, "declare a new queue to listen with", refusals, channel =>
            channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true));
        await Refused(connection, "bind its own queue to the capture exchange", refusals, channel =>
            channel.QueueBindAsync("company." + a, "inbound.customer-data-captured", ""));
        await Refused(connection, "bind its own queue to B's exchange", refusals, channel =>
            channel.QueueBindAsync("company." + a, "company." + b, ""));
        await Refused(connection, "send a delivery into B's queue through B's exchange", refusals, channel =>
            ForgedDelivery(channel, "company." + b, "", b));
        await Refused(connection, "send an erasure command into B's queue through the default exchange", refusals, channel =>
            ForgedDelivery(channel, "", "company." + b, b));

        Assert.Equal(7, refusals.Count);
    }

    [Fact]
    public async Task Should_let_only_the_hub_send_into_a_company_queue_and_the_company_read_it()
    {
        await using var hub = await Broker.Connect("hub");
        await using (var channel = await Broker.Channel(hub))
        {
            await channel.QueuePurgeAsync("company.psm");
            await ForgedDelivery(channel, "company.psm", "", "psm");
        }

        await using var psm = await Broker.Connect("psm");
        await using var own = await psm.CreateChannelAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        BasicGetResult? received;
        while ((received = await own.BasicGetAsync("company.psm", autoAck: true)) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.NotNull(received);
    }

    private static async Task ForgedDelivery(IChannel channel, string exchange, string routingKey, string company)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            Headers = new Dictionary<string, object?> { [BrokerNames.MessageTypeHeader] = BrokerNames.MessageUrn<EraseCustomerData>() },
        };
        var body = Encoding.UTF8.GetBytes($$"""{"commandId":"{{Guid.NewGuid()}}","recipient":"{{company.ToUpperInvariant()}}"}""");
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties, body);
    }

    private static async Task Refused(IConnection connection, string attempt, List<string> refusals, Func<IChannel, Task> act)
    {
        await Broker.AssertRefused(connection, attempt, act);
        refusals.Add(attempt);
    }
}
