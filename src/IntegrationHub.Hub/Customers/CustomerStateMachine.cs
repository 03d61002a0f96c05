using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Messages;
using MassTransit;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// One instance per customer (the customer id is the correlation id). Routes captures by the policy,
/// keeps consent, objections, restriction, the Zentrum and the recipient ledger, and starts a saga for
/// every data-subject request, telling it the holders. An erased customer leaves only a tombstone.
/// </summary>
public sealed class CustomerStateMachine : MassTransitStateMachine<CustomerState>
{
    public CustomerStateMachine()
    {
        InstanceState(x => x.CurrentState);

        ByCustomer(() => Captured);
        ByCustomer(() => ConsentGiven);
        ByCustomer(() => ConsentWithdrawn);
        ByCustomer(() => ObjectionLodged);
        ByCustomer(() => DirectMarketingObjectionLodged);
        ByCustomer(() => RestrictionRequested);
        ByCustomer(() => RestrictionLiftRequested);
        ByCustomer(() => RectificationRequested);
        ByCustomer(() => ErasureRequested);
        ByCustomer(() => AccessRequested);
        ByCustomer(() => PortabilityRequested);
        ByCustomer(() => HandOverCustomer, CustomerSteps.AnswerHandOverForUnknownCustomer);
        ByCustomer(() => DealerRecordsHandedOver, m => m.Discard());
        ByCustomer(() => HolderReleased, m => m.Discard());
        ByCustomer(() => ErasureFinished, m => m.Discard());

        Initially(
            When(Captured).RouteCapture().TransitionTo(Active),
            When(ConsentGiven).RecordConsent().TransitionTo(Active),
            When(ConsentWithdrawn).RecordWithdrawal().OpenRequest().TransitionTo(Active),
            When(ObjectionLodged).RecordObjection().OpenRequest().TransitionTo(Active),
            When(DirectMarketingObjectionLodged).RecordDirectMarketingObjection().OpenRequest().TransitionTo(Active),
            When(RestrictionRequested).MarkRestricted(true).OpenRequest().TransitionTo(Active),
            When(RestrictionLiftRequested).MarkRestricted(false).OpenRequest().TransitionTo(Active),
            When(RectificationRequested).OpenRequest().TransitionTo(Active),
            When(AccessRequested).OpenRequest().TransitionTo(Active),
            When(PortabilityRequested).OpenRequest().TransitionTo(Active),
            When(ErasureRequested).OpenErasure().TransitionTo(Erasing));

        During(Active,
            When(Captured).RouteCapture(),
            When(ConsentGiven).RecordConsent(),
            When(ConsentWithdrawn).RecordWithdrawal().OpenRequest(),
            When(ObjectionLodged).RecordObjection().OpenRequest(),
            When(DirectMarketingObjectionLodged).RecordDirectMarketingObjection().OpenRequest(),
            When(RestrictionRequested).MarkRestricted(true).OpenRequest(),
            When(RestrictionLiftRequested).MarkRestricted(false).OpenRequest(),
            When(RectificationRequested).OpenRequest(),
            When(AccessRequested).OpenRequest(),
            When(PortabilityRequested).OpenRequest(),
            When(HandOverCustomer).AskForHandOver(),
            When(DealerRecordsHandedOver).PassOnRecords(),
            When(ErasureRequested).OpenErasure().TransitionTo(Erasing));

        // While the holders erase, nothing new is routed or recorded; every request still gets an answer.
        During(Erasing,
            When(Captured).DropDuringErasure(AuditKind.CaptureDroppedErasing, m => (m.CaptureId, m.SourceCompany)),
            When(ConsentGiven).DropDuringErasure(AuditKind.ConsentDroppedErasing, m => (m.ConsentId, m.CapturedBy)),
            When(ConsentWithdrawn).RecordWithdrawal().AnswerDuringErasure(),
            When(ObjectionLodged).AnswerDuringErasure(),
            When(DirectMarketingObjectionLodged).AnswerDuringErasure(),
            When(RestrictionRequested).AnswerDuringErasure(),
            When(RestrictionLiftRequested).AnswerDuringErasure(),
            When(RectificationRequested).AnswerDuringErasure(),
            When(ErasureRequested).AnswerDuringErasure(),
            When(AccessRequested).AnswerDuringErasure(),
            When(PortabilityRequested).AnswerDuringErasure(),
            When(HandOverCustomer).HandOverNothingWhileErasing(),
            When(DealerRecordsHandedOver).PassOnNothingWhileErasing(),
            When(ErasureFinished).Forget().Finalize());

        DuringAny(
            When(HolderReleased).ForgetHolder());

        SetCompletedWhenFinalized();
    }

    private void ByCustomer<T>(System.Linq.Expressions.Expression<Func<Event<T>>> property,
        Func<IMissingInstanceConfigurator<CustomerState, T>, IPipe<ConsumeContext<T>>>? missing = null)
        where T : class, ICustomerMessage =>
        Event(property, (IEventCorrelationConfigurator<CustomerState, T> e) =>
        {
            e.CorrelateById(m => m.Message.CustomerId);

            // An answer for a customer the hub no longer knows (or never knew) creates nobody.
            if (missing is not null)
            {
                e.OnMissingInstance(missing);
            }
        });

    public State Active { get; private set; } = null!;

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

    public Event<HandOverCustomer> HandOverCustomer { get; private set; } = null!;

    public Event<DealerRecordsHandedOver> DealerRecordsHandedOver { get; private set; } = null!;

    public Event<HolderReleased> HolderReleased { get; private set; } = null!;

    public Event<ErasureFinished> ErasureFinished { get; private set; } = null!;
}
