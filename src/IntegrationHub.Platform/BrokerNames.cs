namespace IntegrationHub.Platform;

/// <summary>
/// The broker names every process agrees on (docs/amqp-interface.md). Definitions in
/// infrastructure/rabbitmq/definitions.json declare the same names with the same arguments.
/// </summary>
public static class BrokerNames
{
    public const string VirtualHost = "integration-hub";

    /// <summary>The hub's one inbound queue; every inbound.* exchange is bound to it.</summary>
    public const string HubInboundQueue = "hub.inbound";

    /// <summary>
    /// With Hub:Partitioned (the default), for one hub process or several, the hub that is active on <see cref="HubInboundQueue"/>
    /// (single active consumer) forwards each message to this consistent-hash exchange with the message's
    /// customer as routing key, so that one customer's messages always land in the same partition queue.
    /// </summary>
    public const string HubPartitionExchange = "hub.partitions";

    /// <summary>How many partition queues there are; the definitions declare exactly these.</summary>
    public const int HubPartitionCount = 16;

    /// <summary>A partition queue of the hub (single active consumer), e.g. <c>hub.partition.3</c>.</summary>
    public static string HubPartitionQueue(int partition) => $"hub.partition.{partition}";

    /// <summary>The partition of a partition queue's name, or null for any other queue.</summary>
    public static int? PartitionOfQueue(string queue) =>
        queue.StartsWith("hub.partition.", StringComparison.Ordinal) && int.TryParse(queue.AsSpan("hub.partition.".Length), out var partition)
            && partition is >= 0 and < HubPartitionCount
            ? partition
            : null;

    /// <summary>The hub's own endpoint, for messages the hub sends itself (deadline reminders).</summary>
    public static Uri HubAddress => new("exchange:" + HubInboundQueue);

    /// <summary>Where the broker dead-letters messages that exceeded the delivery limit.</summary>
    public const string DeadLetterExchange = "dead-letter";

    public const string MessageTypeHeader = "MT-MessageType";

    /// <summary>The hub's broker user: the only sender whose commands and deliveries a company carries out.</summary>
    public const string HubUser = "hub";

    /// <summary>A company's queue, e.g. <c>company.pfs</c> or <c>company.op-nord</c>.</summary>
    public static string CompanyQueue(string companyId) => "company." + companyId.ToLowerInvariant();

    /// <summary>A company's own error queue, e.g. <c>company.pfs_error</c>: what its system could not carry out, with the reason.</summary>
    public static string CompanyErrorQueue(string companyId) => CompanyQueue(companyId) + "_error";

    /// <summary>The broker user of a company: its id in lower case.</summary>
    public static string CompanyUser(string companyId) => companyId.ToLowerInvariant();

    /// <summary>
    /// Sends go to the company's exchange (bound to its queue by the definitions and by the worker), never
    /// through a "queue:" address, which would declare the queue again without its quorum arguments.
    /// </summary>
    public static Uri CompanyAddress(string companyId) => new("exchange:" + CompanyQueue(companyId));

    /// <summary>The URN MassTransit uses for a message type, as it must appear in the MT-MessageType header.</summary>
    public static string MessageUrn<T>() => $"urn:message:{typeof(T).Namespace}:{typeof(T).Name}";
}
