using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntegrationHub.Platform;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// Direct access to the real broker, as a company system in any language would have it: raw AMQP
/// with a company's own credentials, and the management API with the ops user.
/// </summary>
public static class Broker
{
    public static BrokerSettings Settings(string user) => BrokerSettings.Development(user);

    public static async Task<IConnection> Connect(string user)
    {
        var settings = Settings(user);
        var factory = new ConnectionFactory
        {
            HostName = settings.Host,
            Port = settings.Port,
            VirtualHost = settings.VirtualHost,
            UserName = settings.Username,
            Password = settings.Password,
            ClientProvidedName = $"integration-tests-{user}",
        };
        try
        {
            return await factory.CreateConnectionAsync();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"No RabbitMQ at {settings.Host}:{settings.Port} for user {user}: start it with infrastructure/rabbitmq/start-broker.sh (the README test command does)", ex);
        }
    }

    public static async Task<IChannel> Channel(IConnection connection) =>
        await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

    /// <summary>Publishes a plain JSON body the way docs/amqp-interface.md tells a company system to.</summary>
    public static async Task PublishJson(IChannel channel, string exchange, string messageType, object body, string? userId, bool withTypeHeader = true,
        Guid? messageId = null)
    {
        var properties = JsonProperties(messageId ?? Guid.NewGuid(), userId, withTypeHeader ? messageType : null);
        var bytes = Encoding.UTF8.GetBytes(body as string ?? JsonSerializer.Serialize(body));
        await channel.BasicPublishAsync(exchange, "", mandatory: false, properties, bytes);
    }

    /// <summary>A persistent JSON message of contract T with its message type header, claiming the given broker user.</summary>
    public static BasicProperties Properties<T>(Guid messageId, string user) where T : class => JsonProperties(messageId, user, BrokerNames.MessageUrn<T>());

    private static BasicProperties JsonProperties(Guid messageId, string? userId, string? messageType)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = messageId.ToString(),
            UserId = userId,
            Headers = new Dictionary<string, object?>(),
        };
        if (messageType is not null)
        {
            properties.Headers[BrokerNames.MessageTypeHeader] = messageType;
        }

        return properties;
    }

    /// <summary>Publishes a contract as plain JSON with the given company's own login and user_id.</summary>
    public static async Task PublishAs<T>(string user, string exchange, T message) where T : class
    {
        await using var connection = await Connect(user);
        await using var channel = await Channel(connection);
        await PublishJson(channel, exchange, BrokerNames.MessageUrn<T>(),
            JsonSerializer.Serialize(message, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options), userId: user);
    }

    public static async Task<List<BasicGetResult>> Drain(IChannel channel, string queue)
    {
        var messages = new List<BasicGetResult>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>
    /// Takes every message of a queue with a single active consumer (hub.inbound), where the broker
    /// refuses basic.get: by consuming as many as the queue held when asked.
    /// </summary>
    public static async Task<List<BasicGetResult>> DrainByConsuming(IChannel channel, string queue)
    {
        var waiting = (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        var messages = new List<BasicGetResult>();
        if (waiting == 0)
        {
            return messages;
        }

        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            lock (messages)
            {
                messages.Add(new BasicGetResult(delivery.DeliveryTag, delivery.Redelivered, delivery.Exchange, delivery.RoutingKey, 0,
                    delivery.BasicProperties, delivery.Body.ToArray()));
                if (messages.Count >= waiting)
                {
                    all.TrySetResult();
                }
            }

            return Task.CompletedTask;
        };
        var tag = await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        await all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await channel.BasicCancelAsync(tag);
        return messages;
    }

    public static async Task<uint> Count(IChannel channel, string queue) => (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;

    public static string? Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers is { } headers && headers.TryGetValue(name, out var value)
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
            : null;

    /// <summary>
    /// Runs an attempt on a fresh channel and asserts that the broker refused it with ACCESS_REFUSED (403).
    /// </summary>
    public static async Task AssertRefused(IConnection connection, string attempt, Func<IChannel, Task> act)
    {
        await using var channel = await Channel(connection);
        try
        {
            await act(channel);

            // A refused publish closes the channel asynchronously; a round trip makes sure we see it.
            await channel.ExchangeDeclarePassiveAsync("inbound.customer-data-captured");
        }
        catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException or PublishException)
        {
        }

        Assert.True(channel.CloseReason?.ReplyCode == 403, $"{attempt}: not refused (close reason: {channel.CloseReason?.ReplyText ?? "channel still open"})");
    }

    /// <summary>The management API, as the ops user sees it.</summary>
    public static HttpClient Management()
    {
        var settings = Settings("ops");
        var client = new HttpClient { BaseAddress = new Uri($"http://{settings.Host}:{settings.ManagementPort}/api/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.Username}:{settings.Password}")));
        return client;
    }
}
