using IntegrationHub.Platform;

namespace IntegrationHub.Workers.Tests;

/// <summary>
/// Issue 10: the hub, the workers and the client library take one broker address, as before, or the
/// nodes of a cluster as a list (RABBITMQ_URL or Broker:Host), and connect to any of them.
/// </summary>
public sealed class When_a_process_is_given_broker_addresses
{
    [Fact]
    public void Should_read_one_address_as_before()
    {
        var settings = new BrokerSettings().WithUrl("amqp://10.0.0.5:5673");

        Assert.Equal(("10.0.0.5", (ushort)5673), (settings.Host, settings.Port));
        Assert.Equal([("10.0.0.5", (ushort)5673)], settings.Nodes);
        Assert.Equal("10.0.0.5:5673", settings.Address);
    }

    [Fact]
    public void Should_keep_the_configured_port_when_the_url_names_none()
    {
        var settings = new BrokerSettings { Port = 5680 }.WithUrl("amqp://rabbitmq");

        Assert.Equal([("rabbitmq", (ushort)5680)], settings.Nodes);
    }

    [Fact]
    public void Should_read_the_nodes_of_a_cluster_from_the_url_in_their_order()
    {
        var settings = new BrokerSettings().WithUrl("amqp://user@h1:5711,h2:5712,h3/integration-hub");

        Assert.Equal([("h1", (ushort)5711), ("h2", (ushort)5712), ("h3", (ushort)5672)], settings.Nodes);
        Assert.Equal(["h1:5711", "h2:5712", "h3:5672"], settings.Endpoints.Select(e => $"{e.HostName}:{e.Port}"));
        Assert.Equal("h1:5711,h2:5712,h3:5672", settings.Address);
    }

    [Fact]
    public void Should_read_the_nodes_of_a_cluster_from_the_host_setting()
    {
        var settings = new BrokerSettings { Host = "rabbit-1, rabbit-2:5673,[::1]:5674", Port = 5671 };

        Assert.Equal([("rabbit-1", (ushort)5671), ("rabbit-2", (ushort)5673), ("[::1]", (ushort)5674)], settings.Nodes);
    }

    [Theory]
    [InlineData("h1:5711,h2:notaport")]
    [InlineData("h1:5711,h2:0")]
    [InlineData(" , ")]
    public void Should_refuse_an_address_it_cannot_read_naming_the_setting(string host)
    {
        var problem = Assert.Throws<FormatException>(() => new BrokerSettings { Host = host }.Nodes);

        Assert.Contains("Broker:Host or RABBITMQ_URL", problem.Message);
    }

    [Fact]
    public void Should_read_the_management_api_of_each_node_on_the_management_port_unless_listed()
    {
        var settings = new BrokerSettings { ManagementPort = 15680 }.WithUrl("amqp://h1:5711,h2:5712,h2:5713");

        Assert.Equal([("h1", (ushort)15680), ("h2", (ushort)15680)], settings.ManagementNodes);

        settings.Management = "127.0.0.1:15711, 127.0.0.1:15712,h3";
        Assert.Equal([("127.0.0.1", (ushort)15711), ("127.0.0.1", (ushort)15712), ("h3", (ushort)15680)], settings.ManagementNodes);
    }
}
