using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// A company may read its queues but not delete or redeclare them (issue 12, finding 2: a company that
/// deleted its queue made the hub's deliveries vanish). The broker refuses with ACCESS_REFUSED (403).
/// </summary>
/// <remarks>
/// The broker is shared: every delete is asked only "if unused" while the company itself consumes the
/// queue, so that on a broker with the old permissions the attempt fails as "in use" (406) instead of
/// deleting the queue. RabbitMQ checks the permission first, so with ours the answer is 403.
/// </remarks>
[Collection(HubCollection.Name)]
public sealed class When_a_company_reaches_for_its_own_queues
{
    public static TheoryData<string> Companies() => ["pag", "pd", "pfs", "pfskg", "psm", "op-nord", "op-sued"];

    [Theory]
    [MemberData(nameof(Companies))]
    public async Task Should_refuse_to_delete_or_redeclare_them_and_to_send_into_its_own_queue(string company)
    {
        var queue = "company." + company;
        await using var connection = await Broker.Connect(company);

        // What it may do: look at its queues (a passive declare) and consume them; nothing is acknowledged here.
        await using var consuming = await connection.CreateChannelAsync();
        await consuming.BasicQosAsync(0, 1, false);
        foreach (var own in new[] { queue, queue + "_error" })
        {
            await consuming.QueueDeclarePassiveAsync(own);
            await consuming.BasicConsumeAsync(own, autoAck: false, new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(consuming));
        }

        await Broker.AssertRefused(connection, "delete its queue", channel => channel.QueueDeleteAsync(queue, ifUnused: true, ifEmpty: false));
        await Broker.AssertRefused(connection, "delete its error queue", channel => channel.QueueDeleteAsync(queue + "_error", ifUnused: true, ifEmpty: false));
        await Broker.AssertRefused(connection, "delete its queue's exchange", channel => channel.ExchangeDeleteAsync(queue, ifUnused: true));
        await Broker.AssertRefused(connection, "redeclare its queue", channel => channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }));
        await Broker.AssertRefused(connection, "send into its own queue", channel =>
            channel.BasicPublishAsync(queue, "", mandatory: false, new BasicProperties { UserId = company }, "{}"u8.ToArray()).AsTask());
    }
}
