using IntegrationHub.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Platform;

/// <summary>
/// The conventions every .NET process of the hub applies, so that what crosses the wire is what
/// docs/amqp-interface.md promises to systems written in other languages.
/// </summary>
public static class WireConventions
{
    /// <summary>
    /// The largest body any process of ours reads (512 KiB): customer data are fields, not documents.
    /// The broker's own max_message_size (rabbitmq.conf) is a hard backstop above it.
    /// </summary>
    public const int MaxMessageBytes = 512 * 1024;

    /// <summary>
    /// Plain JSON bodies (content type application/json) with the message type in the MT-MessageType
    /// header. Envelope-format messages (application/vnd.masstransit+json) are still understood.
    /// </summary>
    public static void UsePlainJson(this IBusFactoryConfigurator configurator, int maxMessageBytes = MaxMessageBytes)
    {
        var plainJson = new DeclaredTypeJsonSerializerFactory(maxMessageBytes);
        configurator.AddSerializer(plainJson, isSerializer: true);
        configurator.AddDeserializer(plainJson, isDefault: true);

        // MT-MessageType names the concrete type only, as docs/amqp-interface.md says: MassTransit would
        // also list the interfaces a contract implements (ICustomerMessage, IUniqueMessage), which are
        // conventions of our code, not message types of the wire.
        configurator.ConfigureSend(send => send.UseExecute(OnlyTheConcreteType));
        configurator.ConfigurePublish(publish => publish.UseExecute(OnlyTheConcreteType));
    }

    private static void OnlyTheConcreteType(SendContext context)
    {
        // MassTransit lists the message's own type first, then its base types and interfaces.
        if (context.SupportedMessageTypes is { Length: > 1 } types)
        {
            context.SupportedMessageTypes = [types[0]];
        }
    }

    /// <summary>
    /// A company endpoint's retry: four attempts within about three seconds for what may pass (a busy
    /// database), then the message is parked in the company's error queue and the queue flows on.
    /// </summary>
    public static void UseCompanyRetry(this IConsumePipeConfigurator configurator) =>
        configurator.UseMessageRetry(retry => retry.Intervals(100, 500, 2_000));

    /// <summary>Durable queues are quorum queues (the broker policy adds the delivery limit and dead-lettering).</summary>
    public static void UseQuorumQueue(this IReceiveEndpointConfigurator configurator)
    {
        if (configurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }
    }

    /// <summary>
    /// Connects a RabbitMQ bus with the given settings, publisher confirms on. Every message the bus
    /// sends or publishes carries its broker user as user_id: the broker vouches for it, the hub
    /// requires it of companies, and companies require user_id = hub of what they carry out. With the
    /// nodes of a cluster, each connection goes to the next node in turn, so a lost node is left for another.
    /// A publish the broker refuses or leaves unconfirmed makes the bus connect again (<see cref="RefusedPublishReconnect"/>).
    /// </summary>
    public static void ConnectTo(this IRabbitMqBusFactoryConfigurator configurator, BrokerSettings settings, ILoggerFactory? loggers = null)
    {
        var nodes = settings.Nodes;
        var reconnect = new RefusedPublishReconnect(loggers?.CreateLogger<RefusedPublishReconnect>());
        configurator.ConnectSendObserver(reconnect);
        configurator.ConnectPublishObserver(reconnect);
        configurator.Host(nodes[0].Host, nodes[0].Port, settings.VirtualHost, host =>
        {
            host.Username(settings.Username);
            host.Password(settings.Password);
            host.PublisherConfirmation = true;
            host.OnRefreshConnectionFactory = factory =>
            {
                factory.SocketFactory = reconnect.Socket;
                return Task.CompletedTask;
            };
            if (settings.ConnectionName.Length > 0)
            {
                host.ConnectionName(settings.ConnectionName);
            }

            if (nodes.Count > 1)
            {
                host.UseCluster(cluster => nodes.ToList().ForEach(node => cluster.Node($"{node.Host}:{node.Port}")));
            }
        });
        configurator.ConfigureSend(send => send.UseExecute(context => StampUser(context, settings.Username)));
        configurator.ConfigurePublish(publish => publish.UseExecute(context => StampUser(context, settings.Username)));
    }

    /// <summary>The answers a company publishes to the hub for the rights commands it receives (docs/amqp-interface.md has the table).</summary>
    public static readonly Type[] CompanyAnswers =
    [
        typeof(ConsentBasedDataDeleted), typeof(NeedsAnalysisStopped), typeof(DirectMarketingStopped), typeof(ProcessingRestricted),
        typeof(RestrictionLifted), typeof(CustomerDataRectified), typeof(CustomerDataErased), typeof(CustomerDataProvided), typeof(PortableDataExported),
        typeof(DealerRecordsHandedOver),
    ];

    /// <summary>
    /// A company's bus on RabbitMQ: publishing the given message types does not declare their
    /// exchanges, which the company has no right to configure: the definitions declare them.
    /// </summary>
    public static void PublishWithoutDeclaring(this IRabbitMqBusFactoryConfigurator configurator, IEnumerable<Type> publishedToHub)
    {
        foreach (var type in publishedToHub)
        {
            typeof(WireConventions).GetMethod(nameof(DoNotDeclare), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type).Invoke(null, [configurator]);
        }
    }

    private static void DoNotDeclare<T>(IRabbitMqBusFactoryConfigurator configurator)
        where T : class =>
        configurator.Publish<T>(topology => topology.Exclude = true);

    private static void StampUser(SendContext context, string brokerUser)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
        {
            rabbit.BasicProperties.UserId = brokerUser;
        }
    }
}
