using IntegrationHub.Contracts;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Platform;
using MassTransit;

namespace IntegrationHub.Hub.Inbound;

/// <summary>
/// Checks every message before anything is loaded, created or changed, so a refusal reaches the error
/// queue with its own reason and nothing is partly done: a capture in full, any other message for the
/// customer id and for the company it speaks for, which on RabbitMQ must be the one that published it.
/// Messages the hub sends itself must come from the hub.
/// </summary>
public sealed class InputCheck<T>(CaptureValidator captures, CompanyCheck companies) : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.Message is CustomerDataCaptured capture)
        {
            captures.Validate(capture, PublisherIdentity.Of(context));
            return next.Send(context);
        }

        if (context.Message is IHubInternal)
        {
            if (PublisherIdentity.Of(context) is { Vouched: true, BrokerUser: not PublisherIdentity.HubUser })
            {
                throw new InvalidMessageException($"{typeof(T).Name} refused: only the hub sends hub-internal messages");
            }

            return next.Send(context);
        }

        var (kind, field, company) = SpeakerOf(context.Message);
        if (context.Message is ICustomerMessage { CustomerId: var customerId } && customerId == Guid.Empty)
        {
            throw new InvalidMessageException($"{kind} refused: customerId is missing");
        }

        companies.Require(context, kind, field, company);
        return next.Send(context);
    }

    /// <summary>What the message is, in the words of a refusal, and the company it speaks for.</summary>
    private static (string Kind, string Field, string? Company) SpeakerOf(T message) => message switch
    {
        ConsentGiven m => ("consent", "capturedBy", m.CapturedBy),
        ConsentWithdrawn m => ("consent withdrawal", "capturedBy", m.CapturedBy),
        ObjectionLodged m => ("objection", "receivedBy", m.ReceivedBy),
        DirectMarketingObjectionLodged m => ("objection to direct marketing", "receivedBy", m.ReceivedBy),
        RestrictionRequested m => ("restriction", "receivedBy", m.ReceivedBy),
        RestrictionLiftRequested m => ("lifting of a restriction", "receivedBy", m.ReceivedBy),
        RectificationRequested m => ("rectification", "receivedBy", m.ReceivedBy),
        ErasureRequested m => ("erasure", "receivedBy", m.ReceivedBy),
        AccessRequested m => ("access request", "receivedBy", m.ReceivedBy),
        PortabilityRequested m => ("portability request", "receivedBy", m.ReceivedBy),
        ExtendRequestDeadline m => ("deadline extension", "decidedBy", m.DecidedBy),
        DealerOperatorChangeAnnounced m => ("dealer operator change", "announcedBy", m.AnnouncedBy),
        DealerRecordsHandedOver m => ("hand-over", "company", m.Company),
        ConsentBasedDataDeleted m => ("acknowledgement", "company", m.Company),
        NeedsAnalysisStopped m => ("acknowledgement", "company", m.Company),
        DirectMarketingStopped m => ("acknowledgement", "company", m.Company),
        ProcessingRestricted m => ("acknowledgement", "company", m.Company),
        RestrictionLifted m => ("acknowledgement", "company", m.Company),
        CustomerDataRectified m => ("acknowledgement", "company", m.Company),
        CustomerDataErased m => ("acknowledgement", "company", m.Company),
        CustomerDataProvided m => ("acknowledgement", "company", m.Company),
        PortableDataExported m => ("acknowledgement", "company", m.Company),
        _ => throw new InvalidMessageException($"{typeof(T).Name} refused: the hub does not take this message from companies"),
    };

    public void Probe(ProbeContext context) => context.CreateFilterScope("inputCheck");
}
