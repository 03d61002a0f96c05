using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// A company may read its queues but not delete or redeclare them (issue 12, finding 2: a company that
/// deleted its queue made the hub's deliveries vanish). The broker refuses with ACCESS_REFUSED (403).
/// </summary>
public sealed class When_a_company_reaches_for_its_own_queues
{
    public static TheoryData<string> Companies() => ["pag", "pd", "pfs", "pfskg", "psm", "op-nord", "op-sued"];

    [Theory]
    [MemberData(nameof(Companies))]
    public async Task Should_refuse_to_delete_or_redeclare_them_and_to_send_into_its_own_queue(string company)
    {
        var queue = "company." + company;
        await using var connection = await Broker.Connect(company);

        await Broker.AssertRefused(connection, "delete its queue", channel => channel.QueueDeleteAsync(queue));
        await Broker.AssertRefused(connection, "delete its error queue", channel => channel.QueueDeleteAsync(queue + "_error"));
        await Broker.AssertRefused(connection, "delete its queue's exchange", channel => channel.ExchangeDeleteAsync(queue));
        await Broker.AssertRefused(connection, "redeclare its queue", channel => channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }));
        await Broker.AssertRefused(connection, "send into its own queue", channel =>
            channel.BasicPublishAsync(queue, "", mandatory: false, new BasicProperties { UserId = company }, "{}"u8.ToArray()).AsTask());

        // What it may do: look at its queue (a passive declare) and read it.
        await using var allowed = await connection.CreateChannelAsync();
        await allowed.QueueDeclarePassiveAsync(queue);
        await allowed.BasicGetAsync(queue + "_error", autoAck: false);
    }
}
