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
    public async Task Should_let_the_dashboard_s_retry_user_reach_no_queue_but_the_parking_queues()
    {
        // ops-retry may impersonate (a message moved back keeps its sender), so everything else is closed to it.
        await using var retry = await Broker.Connect("ops-retry");
        foreach (var queue in new[] { "company.pag", "hub.inbound", "ops.events", "company.pag_skipped" })
        {
            await Broker.AssertRefused(retry, $"read {queue}", channel => channel.BasicGetAsync(queue, autoAck: false));
        }

        await Broker.AssertRefused(retry, "declare a queue", channel => channel.QueueDeclareAsync("ops-retry.own", durable: false, exclusive: false, autoDelete: true));
        await Broker.AssertRefused(retry, "delete a parking queue", channel => channel.QueueDeleteAsync("hub.inbound_error", ifUnused: true, ifEmpty: true));
        await Broker.AssertRefused(retry, "publish a capture", channel =>
            Broker.PublishJson(channel, "inbound.customer-data-captured", "urn:message:IntegrationHub.Contracts:CustomerDataCaptured", "{}", userId: "pd"));
        await using var channel = await retry.CreateChannelAsync();
        Assert.Equal("hub.inbound_error", (await channel.QueueDeclarePassiveAsync("hub.inbound_error")).QueueName);
    }

    [Theory]
    [InlineData(15692, "metrics")]
    [InlineData(15672, "api/overview")]
    public async Task Should_serve_metrics_and_the_management_api_on_loopback_only(int port, string path)
    {
        // Per-queue metrics name the queues and answer without credentials: nothing beyond this machine may reach them.
        var listeners = ListeningAddresses(port);
        Assert.NotEmpty(listeners);
        Assert.All(listeners, address => Assert.True(System.Net.IPAddress.IsLoopback(address), $"port {port} listens on {address}"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var answer = await http.GetAsync($"http://127.0.0.1:{port}/{path}");
        Assert.NotEqual(System.Net.HttpStatusCode.NotFound, answer.StatusCode);
    }

    /// <summary>The local addresses of the sockets listening on a TCP port, from the kernel's tables (IPv4 and IPv6).</summary>
    private static List<System.Net.IPAddress> ListeningAddresses(int port)
    {
        const string listen = "0A";
        var addresses = new List<System.Net.IPAddress>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var fields in File.ReadLines(table).Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            {
                var local = fields[1].Split(':');
                if (fields[3] != listen || Convert.ToInt32(local[1], 16) != port)
                {
                    continue;
                }

                // The kernel prints each 32-bit word of the address in host (little-endian) order.
                var bytes = Convert.FromHexString(local[0]);
                for (var word = 0; word < bytes.Length; word += 4)
                {
                    Array.Reverse(bytes, word, 4);
                }

                addresses.Add(new System.Net.IPAddress(bytes));
            }
        }

        return addresses;
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
