using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using IntegrationHub.Hub.Routing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

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

        var captures = context.GetRequiredService<CaptureValidator>();
        var companies = context.GetRequiredService<CompanyCheck>();

        // One customer's messages one after another inside this process, each checked before the
        // saga sees it.
        var partitioner = endpoint.CreatePartitioner(_options.Partitions);
        saga.Message<CustomerDataCaptured>(m =>
        {
            m.UseFilter(new MessageCheck<CustomerDataCaptured>(c => captures.Validate(c.Message, PublisherIdentity.Of(c))));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<ConsentGiven>(m =>
        {
            m.UseFilter(new MessageCheck<ConsentGiven>(c => Company(c, "consent", "capturedBy", c.Message.CapturedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<ConsentWithdrawn>(m =>
        {
            m.UseFilter(new MessageCheck<ConsentWithdrawn>(c => Company(c, "consent withdrawal", "capturedBy", c.Message.CapturedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<ObjectionLodged>(m =>
        {
            m.UseFilter(new MessageCheck<ObjectionLodged>(c => Company(c, "objection", "receivedBy", c.Message.ReceivedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<DirectMarketingObjectionLodged>(m =>
        {
            m.UseFilter(new MessageCheck<DirectMarketingObjectionLodged>(c => Company(c, "objection to direct marketing", "receivedBy", c.Message.ReceivedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<RestrictionRequested>(m =>
        {
            m.UseFilter(new MessageCheck<RestrictionRequested>(c => Company(c, "restriction", "receivedBy", c.Message.ReceivedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<RestrictionLiftRequested>(m =>
        {
            m.UseFilter(new MessageCheck<RestrictionLiftRequested>(c => Company(c, "lifting of a restriction", "receivedBy", c.Message.ReceivedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<RectificationRequested>(m =>
        {
            m.UseFilter(new MessageCheck<RectificationRequested>(c => Company(c, "rectification", "receivedBy", c.Message.ReceivedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<ErasureRequested>(m =>
        {
            m.UseFilter(new MessageCheck<ErasureRequested>(c => Company(c, "erasure", "receivedBy", c.Message.ReceivedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<ConsentBasedDataDeleted>(m =>
        {
            m.UseFilter(new MessageCheck<ConsentBasedDataDeleted>(c => Company(c, "acknowledgement", "company", c.Message.Company)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<NeedsAnalysisStopped>(m =>
        {
            m.UseFilter(new MessageCheck<NeedsAnalysisStopped>(c => Company(c, "acknowledgement", "company", c.Message.Company)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<DirectMarketingStopped>(m =>
        {
            m.UseFilter(new MessageCheck<DirectMarketingStopped>(c => Company(c, "acknowledgement", "company", c.Message.Company)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<ProcessingRestricted>(m =>
        {
            m.UseFilter(new MessageCheck<ProcessingRestricted>(c => Company(c, "acknowledgement", "company", c.Message.Company)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<RestrictionLifted>(m =>
        {
            m.UseFilter(new MessageCheck<RestrictionLifted>(c => Company(c, "acknowledgement", "company", c.Message.Company)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<CustomerDataRectified>(m =>
        {
            m.UseFilter(new MessageCheck<CustomerDataRectified>(c => Company(c, "acknowledgement", "company", c.Message.Company)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<CustomerDataErased>(m =>
        {
            m.UseFilter(new MessageCheck<CustomerDataErased>(c => Company(c, "acknowledgement", "company", c.Message.Company)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<ExtendRequestDeadline>(m =>
        {
            m.UseFilter(new MessageCheck<ExtendRequestDeadline>(c => Company(c, "deadline extension", "decidedBy", c.Message.DecidedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<AccessRequested>(m =>
        {
            m.UseFilter(new MessageCheck<AccessRequested>(c => Company(c, "access request", "receivedBy", c.Message.ReceivedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<PortabilityRequested>(m =>
        {
            m.UseFilter(new MessageCheck<PortabilityRequested>(c => Company(c, "portability request", "receivedBy", c.Message.ReceivedBy)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<CustomerDataProvided>(m =>
        {
            m.UseFilter(new MessageCheck<CustomerDataProvided>(c => Company(c, "acknowledgement", "company", c.Message.Company)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<PortableDataExported>(m =>
        {
            m.UseFilter(new MessageCheck<PortableDataExported>(c => Company(c, "acknowledgement", "company", c.Message.Company)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<DealerRecordsHandedOver>(m =>
        {
            m.UseFilter(new MessageCheck<DealerRecordsHandedOver>(c => Company(c, "hand-over", "company", c.Message.Company)));
            m.UsePartitioner(partitioner, x => x.Message.CustomerId);
        });
        saga.Message<HandOverCustomer>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));
        saga.Message<DeadlineReached>(m => m.UsePartitioner(partitioner, x => x.Message.CustomerId));

        void Company<T>(ConsumeContext<T> c, string kind, string field, string company)
            where T : class
        {
            CompanyCheck.RequireCustomer(kind, (Guid)typeof(T).GetProperty("CustomerId")!.GetValue(c.Message)!);
            companies.Require(c, kind, field, company);
        }
    }
}
