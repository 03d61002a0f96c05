using IntegrationHub.Platform;
using MassTransit;

namespace IntegrationHub.Hub.Scaling;

/// <summary>
/// Where the hub parks what it refuses or cannot handle: <c>hub.inbound_error</c> and
/// <c>hub.inbound_skipped</c> (docs/amqp-interface.md), also for a message taken from a partition
/// queue of several hubs, so that companies and operators look in one place however many hubs run.
/// The parking queues take many consumers (the dashboard and the scrubber read them): the single
/// active consumer of the queue a message came from is not carried over to them.
/// </summary>
public static class HubParking
{
    public static void Configure(IRabbitMqBusFactoryConfigurator rabbit)
    {
        rabbit.SendTopology.ErrorQueueNameFormatter = Names.Instance;
        rabbit.SendTopology.DeadLetterQueueNameFormatter = Names.Instance;
        rabbit.SendTopology.ConfigureErrorSettings = settings => settings.SingleActiveConsumer = false;
        rabbit.SendTopology.ConfigureDeadLetterSettings = settings => settings.SingleActiveConsumer = false;
    }

    /// <summary>The parking queue of a queue the hub consumes: the partition queues park as hub.inbound does.</summary>
    public static string Of(string queueName) =>
        queueName.StartsWith("hub.partition.", StringComparison.Ordinal) ? BrokerNames.HubInboundQueue : queueName;

    private sealed class Names : IErrorQueueNameFormatter, IDeadLetterQueueNameFormatter
    {
        public static readonly Names Instance = new();

        public string FormatErrorQueueName(string queueName) => Of(queueName) + "_error";

        public string FormatDeadLetterQueueName(string queueName) => Of(queueName) + "_skipped";
    }
}
