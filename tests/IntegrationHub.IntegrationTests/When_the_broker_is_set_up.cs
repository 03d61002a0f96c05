using System.Net.Http.Json;
using System.Text.Json;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.IntegrationTests;

/// <summary>What infrastructure/rabbitmq/start-broker.sh leaves behind, checked on the broker itself.</summary>
public sealed class When_the_broker_is_set_up
{
    [Fact]
    public async Task Should_make_every_durable_queue_a_quorum_queue_with_a_delivery_limit_and_dead_lettering()
    {
        using var management = Broker.Management();
        List<JsonElement> queues = [];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            // The management API fills in policies with its next statistics round.
            queues = (await management.GetFromJsonAsync<List<JsonElement>>("queues/integration-hub"))!
                .Where(q => q.GetProperty("name").GetString() != "dead-letter").ToList();
            if (queues.All(q => q.TryGetProperty("policy", out var p) && p.ValueKind == JsonValueKind.String))
            {
                break;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Contains(queues, q => q.GetProperty("name").GetString() == "hub.inbound");
        Assert.Contains(queues, q => q.GetProperty("name").GetString() == "company.pfskg");
        foreach (var queue in queues)
        {
            var name = queue.GetProperty("name").GetString();
            Assert.True(queue.GetProperty("durable").GetBoolean(), $"{name} is not durable");
            Assert.True(queue.GetProperty("type").GetString() == "quorum", $"{name} is not a quorum queue");
            Assert.True(queue.GetProperty("policy").GetString() == "durable-queues", $"{name} has no durable-queues policy");
            var policy = queue.GetProperty("effective_policy_definition");
            Assert.Equal(20, policy.GetProperty("delivery-limit").GetInt32());
            Assert.Equal("dead-letter", policy.GetProperty("dead-letter-exchange").GetString());
        }
    }

    [Fact]
    public async Task Should_let_operations_see_queue_depths_but_read_no_message()
    {
        using var management = Broker.Management();
        var queue = await management.GetFromJsonAsync<JsonElement>("queues/integration-hub/company.pfs");
        Assert.True(queue.TryGetProperty("messages", out _) || queue.TryGetProperty("type", out _));

        await using var ops = await Broker.Connect("ops");
        await using var channel = await ops.CreateChannelAsync();
        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => channel.BasicGetAsync("company.pfs", autoAck: false));
        Assert.Equal(403, refused.ShutdownReason!.ReplyCode);
    }

    [Fact]
    public async Task Should_have_no_guest_account()
    {
        var settings = Broker.Settings("guest");
        var factory = new RabbitMQ.Client.ConnectionFactory
        {
            HostName = settings.Host, Port = settings.Port, UserName = "guest", Password = "guest", VirtualHost = "/",
        };
        await Assert.ThrowsAnyAsync<BrokerUnreachableException>(() => factory.CreateConnectionAsync());
    }
}
