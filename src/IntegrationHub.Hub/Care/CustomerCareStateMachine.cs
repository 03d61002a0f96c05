using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Care;

/// <summary>
/// One instance per customer (the customer id is the correlation id). Routes captures by the policy,
/// keeps consent, objections, restriction and the recipient ledger, and fans requests out to every
/// holder until each has answered. An erased customer leaves only a tombstone.
/// </summary>
public sealed class CustomerCareStateMachine : MassTransitStateMachine<CustomerCareState>
{
    public CustomerCareStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Captured, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => ConsentGiven, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => ConsentWithdrawn, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => ObjectionLodged, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => DirectMarketingObjectionLodged, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => RestrictionRequested, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => RestrictionLiftRequested, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => RectificationRequested, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => ErasureRequested, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => AccessRequested, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => PortabilityRequested, e => e.CorrelateById(m => m.Message.CustomerId));
        Event(() => CustomerDataProvided, e => AnswerToKnownCustomer(e));
        Event(() => HandOverCustomer, e => AnswerToKnownCustomer(e));
        Event(() => DealerRecordsHandedOver, e => AnswerToKnownCustomer(e));
        Event(() => PortableDataExported, e => AnswerToKnownCustomer(e));
        Event(() => ConsentBasedDataDeleted, e => AnswerToKnownCustomer(e));
        Event(() => NeedsAnalysisStopped, e => AnswerToKnownCustomer(e));
        Event(() => DirectMarketingStopped, e => AnswerToKnownCustomer(e));
        Event(() => ProcessingRestricted, e => AnswerToKnownCustomer(e));
        Event(() => RestrictionLifted, e => AnswerToKnownCustomer(e));
        Event(() => CustomerDataRectified, e => AnswerToKnownCustomer(e));
        Event(() => CustomerDataErased, e => AnswerToKnownCustomer(e));
        Event(() => DeadlineExtensionRequested, e => AnswerToKnownCustomer(e));
        Event(() => DeadlineReached, e => AnswerToKnownCustomer(e));

        Initially(
            When(Captured).RouteCapture().TransitionTo(Active),
            When(ConsentGiven).RecordConsent().TransitionTo(Active),
            When(ConsentWithdrawn).WithdrawConsent().TransitionTo(Active),
            When(ObjectionLodged).Object().TransitionTo(Active),
            When(DirectMarketingObjectionLodged).ObjectToDirectMarketing().TransitionTo(Active),
            When(RestrictionRequested).Restrict().TransitionTo(Restricted),
            When(RestrictionLiftRequested).LiftRestriction().TransitionTo(Active),
            When(RectificationRequested).Rectify().TransitionTo(Active),
            When(AccessRequested).GatherForAccess().TransitionTo(Active),
            When(PortabilityRequested).GatherForPortability().TransitionTo(Active),
            When(ErasureRequested).Erase().TransitionTo(Erasing).ForgetWhenErased());

        During(Active, Restricted,
            When(Captured).RouteCapture(),
            When(ConsentGiven).RecordConsent(),
            When(ConsentWithdrawn).WithdrawConsent(),
            When(ObjectionLodged).Object(),
            When(DirectMarketingObjectionLodged).ObjectToDirectMarketing(),
            When(RestrictionRequested).Restrict().TransitionTo(Restricted),
            When(RestrictionLiftRequested).LiftRestriction().TransitionTo(Active),
            When(RectificationRequested).Rectify(),
            When(AccessRequested).GatherForAccess(),
            When(PortabilityRequested).GatherForPortability(),
            When(HandOverCustomer).HandOver(),
            When(ErasureRequested).Erase().TransitionTo(Erasing).ForgetWhenErased());

        // While the holders erase, nothing new is routed and no new request is started for the customer.
        During(Erasing,
            When(Captured).HoldCapture(),
            When(HandOverCustomer).NothingToHandOver(),
            Ignore(ConsentGiven),
            Ignore(ConsentWithdrawn),
            Ignore(ObjectionLodged),
            Ignore(DirectMarketingObjectionLodged),
            Ignore(RestrictionRequested),
            Ignore(RestrictionLiftRequested),
            Ignore(RectificationRequested),
            Ignore(AccessRequested),
            Ignore(PortabilityRequested),
            Ignore(ErasureRequested));

        DuringAny(
            When(ConsentBasedDataDeleted).RecordAcknowledgement(m => (m.RequestId, m.CommandId, m.Company, m.Receipt)),
            When(NeedsAnalysisStopped).RecordAcknowledgement(m => (m.RequestId, m.CommandId, m.Company, m.Receipt)),
            When(DirectMarketingStopped).RecordAcknowledgement(m => (m.RequestId, m.CommandId, m.Company, m.Receipt)),
            When(ProcessingRestricted).RecordAcknowledgement(m => (m.RequestId, m.CommandId, m.Company, m.Receipt)),
            When(RestrictionLifted).RecordAcknowledgement(m => (m.RequestId, m.CommandId, m.Company, m.Receipt)),
            When(CustomerDataRectified).RecordAcknowledgement(m => (m.RequestId, m.CommandId, m.Company, m.Receipt)),
            When(CustomerDataErased).RecordAcknowledgement(m => (m.RequestId, m.CommandId, m.Company, m.Receipt)).ForgetWhenErased(),
            When(CustomerDataProvided).KeepAnswer(m => (m.RequestId, m.Company, m.Data))
                .RecordAcknowledgement(m => (m.RequestId, m.CommandId, m.Company, m.Receipt)),
            When(PortableDataExported).KeepAnswer(m => (m.RequestId, m.Company, m.Data))
                .RecordAcknowledgement(m => (m.RequestId, m.CommandId, m.Company, m.Receipt)),
            When(DealerRecordsHandedOver).PassOn(),
            When(DeadlineExtensionRequested).ExtendDeadline(),
            When(DeadlineReached).Escalate());

        SetCompletedWhenFinalized();
    }

    // An answer or a deadline for a customer the hub no longer knows (or never knew) creates nobody:
    // it is logged by MassTransit and dropped.
    private static void AnswerToKnownCustomer<T>(IEventCorrelationConfigurator<CustomerCareState, T> correlation)
        where T : class
    {
        correlation.CorrelateById(m => (Guid)typeof(T).GetProperty("CustomerId")!.GetValue(m.Message)!);
        correlation.OnMissingInstance(m => m.Discard());
    }

    public State Active { get; private set; } = null!;

    public State Restricted { get; private set; } = null!;

    public State Erasing { get; private set; } = null!;

    public Event<CustomerDataCaptured> Captured { get; private set; } = null!;

    public Event<ConsentGiven> ConsentGiven { get; private set; } = null!;

    public Event<ConsentWithdrawn> ConsentWithdrawn { get; private set; } = null!;

    public Event<ObjectionLodged> ObjectionLodged { get; private set; } = null!;

    public Event<DirectMarketingObjectionLodged> DirectMarketingObjectionLodged { get; private set; } = null!;

    public Event<RestrictionRequested> RestrictionRequested { get; private set; } = null!;

    public Event<RestrictionLiftRequested> RestrictionLiftRequested { get; private set; } = null!;

    public Event<RectificationRequested> RectificationRequested { get; private set; } = null!;

    public Event<ErasureRequested> ErasureRequested { get; private set; } = null!;

    public Event<AccessRequested> AccessRequested { get; private set; } = null!;

    public Event<PortabilityRequested> PortabilityRequested { get; private set; } = null!;

    public Event<CustomerDataProvided> CustomerDataProvided { get; private set; } = null!;

    public Event<PortableDataExported> PortableDataExported { get; private set; } = null!;

    public Event<HandOverCustomer> HandOverCustomer { get; private set; } = null!;

    public Event<DealerRecordsHandedOver> DealerRecordsHandedOver { get; private set; } = null!;

    public Event<ConsentBasedDataDeleted> ConsentBasedDataDeleted { get; private set; } = null!;

    public Event<NeedsAnalysisStopped> NeedsAnalysisStopped { get; private set; } = null!;

    public Event<DirectMarketingStopped> DirectMarketingStopped { get; private set; } = null!;

    public Event<ProcessingRestricted> ProcessingRestricted { get; private set; } = null!;

    public Event<RestrictionLifted> RestrictionLifted { get; private set; } = null!;

    public Event<CustomerDataRectified> CustomerDataRectified { get; private set; } = null!;

    public Event<CustomerDataErased> CustomerDataErased { get; private set; } = null!;

    public Event<ExtendRequestDeadline> DeadlineExtensionRequested { get; private set; } = null!;

    public Event<DeadlineReached> DeadlineReached { get; private set; } = null!;
}
