using System.Linq.Expressions;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Messages;
using MassTransit;

namespace IntegrationHub.Hub.Requests;

/// <summary>
/// One instance per data-subject request (the request id is the correlation id), started by the
/// customer's saga with the holders. It follows the request to its end and keeps its receipts and
/// times afterwards, also once the customer is erased.
/// </summary>
public sealed class RequestStateMachine : MassTransitStateMachine<RequestState>
{
    public RequestStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Opened, e => e.CorrelateById(m => m.Message.RequestId));
        ByRequest(() => ConsentBasedDataDeleted, m => m.RequestId);
        ByRequest(() => NeedsAnalysisStopped, m => m.RequestId);
        ByRequest(() => DirectMarketingStopped, m => m.RequestId);
        ByRequest(() => ProcessingRestricted, m => m.RequestId);
        ByRequest(() => RestrictionLifted, m => m.RequestId);
        ByRequest(() => CustomerDataRectified, m => m.RequestId);
        ByRequest(() => CustomerDataErased, m => m.RequestId);
        ByRequest(() => CustomerDataProvided, m => m.RequestId);
        ByRequest(() => PortableDataExported, m => m.RequestId);
        ByRequest(() => DeadlineExtensionRequested, m => m.RequestId);
        ByRequest(() => DeadlineReached, m => m.RequestId);
        ByRequest(() => ErasureConcluded, m => m.RequestId);
        ByRequest(() => CustomerForgotten, m => m.RequestId);

        Initially(
            When(Opened).SendToHolders()
                .IfElse(c => !c.Saga.IsOpen, done => done.TransitionTo(Done),
                    open => open.IfElse(c => c.Saga.AnsweredByErasure is not null, following => following.TransitionTo(AnsweredByErasure),
                        waiting => waiting.TransitionTo(Waiting))));

        During(Waiting,
            When(ConsentBasedDataDeleted).RecordAcknowledgement(m => (m.CommandId, m.Company, m.Receipt)).DoneWhenCompleted(Done),
            When(NeedsAnalysisStopped).RecordAcknowledgement(m => (m.CommandId, m.Company, m.Receipt)).DoneWhenCompleted(Done),
            When(DirectMarketingStopped).RecordAcknowledgement(m => (m.CommandId, m.Company, m.Receipt)).DoneWhenCompleted(Done),
            When(ProcessingRestricted).RecordAcknowledgement(m => (m.CommandId, m.Company, m.Receipt)).DoneWhenCompleted(Done),
            When(RestrictionLifted).RecordAcknowledgement(m => (m.CommandId, m.Company, m.Receipt)).DoneWhenCompleted(Done),
            When(CustomerDataRectified).RecordAcknowledgement(m => (m.CommandId, m.Company, m.Receipt)).DoneWhenCompleted(Done),
            When(CustomerDataErased).RecordAcknowledgement(m => (m.CommandId, m.Company, m.Receipt)).DoneWhenCompleted(Done),
            When(CustomerDataProvided).KeepAnswer(m => (m.CommandId, m.Company, m.Records))
                .RecordAcknowledgement(m => (m.CommandId, m.Company, m.Receipt)).DoneWhenCompleted(Done),
            When(PortableDataExported).KeepAnswer(m => (m.CommandId, m.Company, m.Records))
                .RecordAcknowledgement(m => (m.CommandId, m.Company, m.Receipt)).DoneWhenCompleted(Done),
            When(DeadlineReached).Escalate().DoneWhenCompleted(Done));

        During(AnsweredByErasure,
            When(ErasureConcluded).CompleteWithErasure().TransitionTo(Done),
            When(DeadlineReached).Escalate());

        During(Waiting, AnsweredByErasure,
            When(DeadlineExtensionRequested).ExtendDeadline());

        // A done request keeps its receipts and times; late answers and reminders change nothing.
        During(Done,
            Ignore(ConsentBasedDataDeleted),
            Ignore(NeedsAnalysisStopped),
            Ignore(DirectMarketingStopped),
            Ignore(ProcessingRestricted),
            Ignore(RestrictionLifted),
            Ignore(CustomerDataRectified),
            Ignore(CustomerDataErased),
            Ignore(CustomerDataProvided),
            Ignore(PortableDataExported),
            Ignore(DeadlineReached),
            Ignore(ErasureConcluded),
            When(DeadlineExtensionRequested).ExtendDeadline());

        DuringAny(
            Ignore(Opened),
            When(CustomerForgotten).ForgetCustomer());
    }

    // An answer or a reminder for a request the hub never opened creates nothing.
    private void ByRequest<T>(Expression<Func<Event<T>>> property, Func<T, Guid> requestId)
        where T : class =>
        Event(property, (IEventCorrelationConfigurator<RequestState, T> e) =>
        {
            e.CorrelateById(m => requestId(m.Message));
            e.OnMissingInstance(m => m.Discard());
        });

    public State Waiting { get; private set; } = null!;

    public State AnsweredByErasure { get; private set; } = null!;

    public State Done { get; private set; } = null!;

    public Event<OpenRequest> Opened { get; private set; } = null!;

    public Event<ConsentBasedDataDeleted> ConsentBasedDataDeleted { get; private set; } = null!;

    public Event<NeedsAnalysisStopped> NeedsAnalysisStopped { get; private set; } = null!;

    public Event<DirectMarketingStopped> DirectMarketingStopped { get; private set; } = null!;

    public Event<ProcessingRestricted> ProcessingRestricted { get; private set; } = null!;

    public Event<RestrictionLifted> RestrictionLifted { get; private set; } = null!;

    public Event<CustomerDataRectified> CustomerDataRectified { get; private set; } = null!;

    public Event<CustomerDataErased> CustomerDataErased { get; private set; } = null!;

    public Event<CustomerDataProvided> CustomerDataProvided { get; private set; } = null!;

    public Event<PortableDataExported> PortableDataExported { get; private set; } = null!;

    public Event<ExtendRequestDeadline> DeadlineExtensionRequested { get; private set; } = null!;

    public Event<RequestDeadlineReached> DeadlineReached { get; private set; } = null!;

    public Event<ErasureConcluded> ErasureConcluded { get; private set; } = null!;

    public Event<CustomerForgotten> CustomerForgotten { get; private set; } = null!;
}
