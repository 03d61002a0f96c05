using System.Text.Json;
using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Inbound;
using IntegrationHub.Platform;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.UnitOfWork;

/// <summary>
/// The hub's inbound endpoint, where every saga and consumer of the hub lives, and its conventions in
/// one place: a quorum queue; retries for everything but refusals; and for every message type, whatever
/// handles it: one customer's messages in order, checked, then one unit of work.
/// </summary>
public static class HubEndpoint
{
    /// <param name="concurrency">
    /// Messages in hand at once at this endpoint; <see cref="HubOptions.Partitions"/> for hub.inbound, a
    /// share of it for each partition queue of several hubs, so that a hub holds about as many in all.
    /// </param>
    public static void Configure(IRegistrationContext context, IReceiveEndpointConfigurator endpoint, HubOptions options, int? concurrency = null)
    {
        endpoint.UseQuorumQueue();

        // One consumer takes the queue's messages at a time (the definitions declare it so): another hub
        // process on the same queue waits as a standby instead of taking one customer's messages in
        // parallel with the first, out of order.
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SingleActiveConsumer = true;
        }

        // Enough messages of different customers in flight for the writer to commit them in groups;
        // one customer's messages still wait for each other in their partition.
        // A partition queue's share prefetches no more than it handles: when the partition moves to another
        // hub, the broker puts back only what is in hand, which the old owner waits for, so nothing of one
        // customer comes back behind its own successor (with 16 prefetched for one in hand, the returns of a
        // closed channel reached the new owner out of order: a withdrawal ahead of the consent before it).
        var inHand = concurrency ?? options.Partitions;
        endpoint.PrefetchCount = concurrency ?? Math.Max(inHand * 2, 16);
        endpoint.ConcurrentMessageLimit = inHand;

        var pipeline = new MessagePipeline(context, endpoint.CreatePartitioner(inHand));
        endpoint.ConnectSagaConfigurationObserver(pipeline);
        endpoint.ConnectConsumerConfigurationObserver(pipeline);
    }

    /// <summary>Adds the same filters to the pipe of every message type a saga or consumer of the endpoint takes.</summary>
    private sealed class MessagePipeline(IRegistrationContext context, IPartitioner partitioner) : ISagaConfigurationObserver, IConsumerConfigurationObserver
    {
        public void SagaMessageConfigured<TSaga, TMessage>(ISagaMessageConfigurator<TSaga, TMessage> configurator)
            where TSaga : class, ISaga
            where TMessage : class
        {
            var pipe = (ISagaMessageConfigurator<TMessage>)configurator;
            Apply(pipe);
            if (typeof(TSaga) == typeof(CustomerState))
            {
                // Inside the unit of work: the tombstone is read, and counted, in its transaction.
                pipe.UseFilter(new ScopedConsumeFilter<TMessage, CustomerAdmission<TMessage>>(new ConsumeScopeProvider(context)));
            }
        }

        public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
            where TConsumer : class
            where TMessage : class =>
            Apply((IConsumerMessageConfigurator<TMessage>)configurator);

        private void Apply<TMessage>(IPipeConfigurator<ConsumeContext<TMessage>> pipe)
            where TMessage : class
        {
            pipe.UsePartitioner(partitioner, MessageKeys.PartitionOf);

            // Refused input is final; anything else (a version conflict, a busy database, a broker
            // hiccup) is tried again, in a fresh scope and transaction each time. Inside the customer's
            // partition: the customer's next message waits for this one's retries instead of overtaking
            // it (a retry around the partition let a capture be handled before the consent published
            // ahead of it, found by When_three_hubs_share_the_stream).
            pipe.UseMessageRetry(retry =>
            {
                retry.Ignore<InvalidMessageException>();
                retry.Ignore<JsonException>();
                retry.Intervals(50, 200, 1_000, 5_000);
            });
            pipe.UseInMemoryOutbox(context);
            pipe.UseFilter(new InputCheck<TMessage>(context.GetRequiredService<CaptureValidator>(), context.GetRequiredService<CompanyCheck>()));

            // Resolved from the message's scope, so the unit of work, the saga repository and every
            // step share one DbContext and one transaction.
            pipe.UseFilter(new ScopedConsumeFilter<TMessage, HubUnitOfWork<TMessage>>(new ConsumeScopeProvider(context)));
        }

        public void SagaConfigured<TSaga>(ISagaConfigurator<TSaga> configurator)
            where TSaga : class, ISaga
        {
        }

        public void StateMachineSagaConfigured<TInstance>(ISagaConfigurator<TInstance> configurator, SagaStateMachine<TInstance> stateMachine)
            where TInstance : class, ISaga, SagaStateMachineInstance
        {
        }

        public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
            where TConsumer : class
        {
        }
    }
}
