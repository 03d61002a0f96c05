using IntegrationHub.Platform;
using RabbitMQ.Client;

namespace IntegrationHub.Ops;

/// <summary>
/// Lists and moves back the messages of the parking queues, over AMQP with the <c>ops-retry</c> user.
/// Reading a message from a quorum queue and giving it back unacknowledged counts as a delivery, and
/// at the delivery limit the broker would dead-letter it: so each message looked at is taken,
/// published again (confirmed) through the queue's own exchange to the queue's end, and only then
/// acknowledged. Nothing is lost if the dashboard stops half-way; at worst a message is there twice.
/// </summary>
public sealed class ParkedMessages(BrokerSettings retry)
{
    /// <summary>Headers the move removes: why and where it failed belong to the failure, not to the next try.</summary>
    private static readonly string[] FailureHeaders = ["MT-Fault-", "MT-Reason", "x-death", "x-first-death-", "x-last-death-", ErrorQueueParking.OriginalUserIdHeader];

    public async Task<ParkedList> List(string queue, int limit, CancellationToken cancellationToken)
    {
        Require(queue);
        await using var connection = await Connect(cancellationToken);
        await using var channel = await Channel(connection, cancellationToken);
        var count = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        var seen = new List<ParkedMessage>();
        for (var i = 0; i < Math.Min(count, (uint)limit); i++)
        {
            if (await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is not { } message)
            {
                break;
            }

            seen.Add(ParkedSummary.Of(queue, message));
            await PutBack(channel, queue, message, cancellationToken);
        }

        return new ParkedList(queue, (int)count, seen);
    }

    /// <summary>Moves the message with this id back where it came from; the others stay, at the queue's end.</summary>
    public async Task<MoveOutcome> MoveBack(string queue, string messageId, CancellationToken cancellationToken)
    {
        Require(queue);
        await using var connection = await Connect(cancellationToken);
        await using var channel = await Channel(connection, cancellationToken);
        var count = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        for (var i = 0; i < count; i++)
        {
            if (await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is not { } message)
            {
                break;
            }

            if (message.BasicProperties.MessageId != messageId)
            {
                await PutBack(channel, queue, message, cancellationToken);
                continue;
            }

            var summary = ParkedSummary.Of(queue, message);
            if (summary.ReturnTo is null)
            {
                await PutBack(channel, queue, message, cancellationToken);
                return new MoveOutcome(false, null, $"not moved: {summary.CannotReturn}", summary);
            }

            try
            {
                await channel.BasicPublishAsync(summary.ReturnTo, "", mandatory: true, ForAnotherTry(message.BasicProperties), message.Body, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The broker refused or could not route it: it stays parked, and the page says why. A
                // refusal closes the channel, and the broker then gives the message back to the queue itself.
                if (channel.IsOpen)
                {
                    await PutBack(channel, queue, message, cancellationToken);
                }

                return new MoveOutcome(false, summary.ReturnTo, $"not moved: {ex.GetType().Name}: {ex.Message}", summary);
            }

            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            return new MoveOutcome(true, summary.ReturnTo, $"moved back to {summary.ReturnTo}", summary);
        }

        return new MoveOutcome(false, null, $"no message {messageId} in {queue}", null);
    }

    private static async Task PutBack(IChannel channel, string queue, BasicGetResult message, CancellationToken cancellationToken)
    {
        await channel.BasicPublishAsync(queue, message.RoutingKey, mandatory: true, new BasicProperties(message.BasicProperties), message.Body, cancellationToken);
        await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
    }

    // The sender's user_id stays as the broker vouched for it when the company published: the hub and
    // the workers check it as proof of the sender (the ops-retry user is an impersonator for this).
    private static BasicProperties ForAnotherTry(IReadOnlyBasicProperties original)
    {
        var properties = new BasicProperties(original)
        {
            UserId = AmqpHeaders.Header(original, ErrorQueueParking.OriginalUserIdHeader) is { Length: > 0 } sender ? sender : original.UserId,
            Headers = original.Headers?.Where(h => !FailureHeaders.Any(prefix => h.Key.StartsWith(prefix, StringComparison.Ordinal)))
                .ToDictionary(h => h.Key, h => h.Value) ?? new Dictionary<string, object?>(),
        };
        properties.Headers["x-moved-back-at"] = DateTimeOffset.UtcNow.ToString("O");
        return properties;
    }

    private static void Require(string queue)
    {
        if (!ParkingQueues.IsParking(queue))
        {
            throw new ArgumentException($"{queue} is not a parking queue");
        }
    }

    private async Task<IConnection> Connect(CancellationToken cancellationToken) =>
        await retry.Connect(BrokerSettings.ProcessConnectionName("ops-dashboard"), cancellationToken, TimeSpan.FromSeconds(5));

    private static async Task<IChannel> Channel(IConnection connection, CancellationToken cancellationToken) =>
        await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
}

public sealed record ParkedList(string Queue, int Depth, IReadOnlyList<ParkedMessage> Messages);

public sealed record MoveOutcome(bool Moved, string? To, string Outcome, ParkedMessage? Message);
