using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit;

namespace IntegrationHub.Hub.Care;

/// <summary>The hub's inbound endpoint, where the customer sagas live, and its policies in one place.</summary>
public sealed class CustomerCareSagaDefinition : SagaDefinition<CustomerCareState>
{
    private readonly HubOptions _options;

    public CustomerCareSagaDefinition(HubOptions options)
    {
        _options = options;
        EndpointName = BrokerNames.HubInboundQueue;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpoint, ISagaConfigurator<CustomerCareState> saga, IRegistrationContext context)
    {
        endpoint.UseQuorumQueue();

        // Refused input is final; anything else (a version conflict, a busy database, a broker
        // hiccup) is tried again, in a fresh transaction each time.
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<InvalidMessageException>();
            retry.Ignore<JsonException>();
            retry.Intervals(50, 200, 1_000, 5_000);
        });
        endpoint.UseInMemoryOutbox(context);

        // One customer's messages one after another inside this process.
        var partitioner = endpoint.CreatePartitioner(_options.Partitions);
        saga.Message<CustomerDataCaptured>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<ConsentGiven>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<ConsentWithdrawn>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<ObjectionLodged>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<DirectMarketingObjectionLodged>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<RestrictionRequested>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<RestrictionLiftRequested>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<RectificationRequested>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<ErasureRequested>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<ConsentBasedDataDeleted>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<NeedsAnalysisStopped>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<DirectMarketingStopped>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<ProcessingRestricted>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<RestrictionLifted>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<CustomerDataRectified>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<CustomerDataErased>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<ExtendRequestDeadline>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<DeadlineReached>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
    }
}
