using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Care;

/// <summary>The steps of the customer's state machine, named for what they do, so the machine reads as the rules.</summary>
public static class CareSteps
{
    private static CustomerCare Care(this ConsumeContext context) => context.GetServiceOrCreateInstance<CustomerCare>();

    public static EventActivityBinder<CustomerCareState, CustomerDataCaptured> RouteCapture(this EventActivityBinder<CustomerCareState, CustomerDataCaptured> binder) =>
        binder.ThenAsync(c => c.Care().Route(c.Saga, c));

    public static EventActivityBinder<CustomerCareState, CustomerDataCaptured> HoldCapture(this EventActivityBinder<CustomerCareState, CustomerDataCaptured> binder) =>
        binder.Then(c => c.Care().HoldDuringErasure(c.Saga, "capture", c.Message.CaptureId, c.Message.SourceCompany));

    public static EventActivityBinder<CustomerCareState, ConsentGiven> RecordConsent(this EventActivityBinder<CustomerCareState, ConsentGiven> binder) =>
        binder.Then(c => c.Care().RecordConsent(c.Saga, c.Message.ConsentId, true, c.Message.Channel, c.Message.WordingVersion, c.Message.CapturedBy, c.Message.GivenAt));

    /// <summary>Seed, section 4: withdrawal reaches every company that received consent-based data.</summary>
    public static EventActivityBinder<CustomerCareState, ConsentWithdrawn> WithdrawConsent(this EventActivityBinder<CustomerCareState, ConsentWithdrawn> binder) =>
        binder.Then(c =>
        {
            var care = c.Care();
            care.RecordConsent(c.Saga, c.Message.ConsentId, false, c.Message.Channel, c.Message.WordingVersion, c.Message.CapturedBy, c.Message.WithdrawnAt);
            care.StartFanOut(c.Saga, FanOutKind.ConsentWithdrawal, c.Message.ConsentId, c.Message.CapturedBy, c.Message.WithdrawnAt,
                [DataCategory.InterestProfile, DataCategory.EmailEngagement]);
        });

    /// <summary>Art. 21(1) GDPR: needs analysis stops unless the company recorded compelling grounds.</summary>
    public static EventActivityBinder<CustomerCareState, ObjectionLodged> Object(this EventActivityBinder<CustomerCareState, ObjectionLodged> binder) =>
        binder.Then(c =>
        {
            c.Saga.ObjectedGenerally = true;
            c.Saga.CompellingGrounds = c.Message.CompellingGrounds;
            var holders = c.Message.CompellingGrounds is null ? null : Array.Empty<DataCategory>();
            c.Care().StartFanOut(c.Saga, FanOutKind.Objection, c.Message.RequestId, c.Message.ReceivedBy, c.Message.ReceivedAt, holders);
        });

    /// <summary>Art. 21(2),(3) GDPR: absolute, and blocks direct marketing hub-wide from now on.</summary>
    public static EventActivityBinder<CustomerCareState, DirectMarketingObjectionLodged> ObjectToDirectMarketing(
        this EventActivityBinder<CustomerCareState, DirectMarketingObjectionLodged> binder) =>
        binder.Then(c =>
        {
            c.Saga.ObjectedToDirectMarketing = true;
            c.Care().StartFanOut(c.Saga, FanOutKind.DirectMarketingObjection, c.Message.RequestId, c.Message.ReceivedBy, c.Message.ReceivedAt, null);
        });

    /// <summary>Art. 18 GDPR: from now on nothing new is forwarded; holders keep storing but stop using.</summary>
    public static EventActivityBinder<CustomerCareState, RestrictionRequested> Restrict(this EventActivityBinder<CustomerCareState, RestrictionRequested> binder) =>
        binder.Then(c =>
        {
            c.Saga.Restricted = true;
            c.Care().StartFanOut(c.Saga, FanOutKind.Restriction, c.Message.RequestId, c.Message.ReceivedBy, c.Message.ReceivedAt, null);
        });

    public static EventActivityBinder<CustomerCareState, RestrictionLiftRequested> LiftRestriction(this EventActivityBinder<CustomerCareState, RestrictionLiftRequested> binder) =>
        binder.Then(c =>
        {
            c.Saga.Restricted = false;
            c.Care().StartFanOut(c.Saga, FanOutKind.RestrictionLift, c.Message.RequestId, c.Message.ReceivedBy, c.Message.ReceivedAt, null);
        });

    /// <summary>Art. 16 and 19 GDPR: the corrections go to every holder of the categories corrected.</summary>
    public static EventActivityBinder<CustomerCareState, RectificationRequested> Rectify(this EventActivityBinder<CustomerCareState, RectificationRequested> binder) =>
        binder.Then(c =>
        {
            if (c.Message.Corrections is null || c.Message.Corrections.Count == 0)
            {
                throw new Platform.InvalidMessageException("rectification refused: corrections hold no category");
            }

            c.Care().StartFanOut(c.Saga, FanOutKind.Rectification, c.Message.RequestId, c.Message.ReceivedBy, c.Message.ReceivedAt,
                c.Message.Corrections.Keys.ToList(), c.Message.Corrections);
        });

    public static EventActivityBinder<CustomerCareState, ErasureRequested> Erase(this EventActivityBinder<CustomerCareState, ErasureRequested> binder) =>
        binder.Then(c => c.Care().StartFanOut(c.Saga, FanOutKind.Erasure, c.Message.RequestId, c.Message.ReceivedBy, c.Message.ReceivedAt, null));

    /// <summary>Art. 15 GDPR: every holder is asked for what it holds.</summary>
    public static EventActivityBinder<CustomerCareState, AccessRequested> GatherForAccess(this EventActivityBinder<CustomerCareState, AccessRequested> binder) =>
        binder.Then(c => c.Care().StartFanOut(c.Saga, FanOutKind.Access, c.Message.RequestId, c.Message.ReceivedBy, c.Message.ReceivedAt, null));

    /// <summary>Art. 20 GDPR: every holder is asked for what the customer provided.</summary>
    public static EventActivityBinder<CustomerCareState, PortabilityRequested> GatherForPortability(this EventActivityBinder<CustomerCareState, PortabilityRequested> binder) =>
        binder.Then(c =>
        {
            var fanOut = c.Care().StartFanOut(c.Saga, FanOutKind.Portability, c.Message.RequestId, c.Message.ReceivedBy, c.Message.ReceivedAt, null);
            fanOut.TransmitTo = c.Message.TransmitTo;
        });

    public static EventActivityBinder<CustomerCareState, HandOverCustomer> HandOver(this EventActivityBinder<CustomerCareState, HandOverCustomer> binder) =>
        binder.Then(c => c.Care().HandOver(c.Saga, c.Message));

    public static EventActivityBinder<CustomerCareState, DealerRecordsHandedOver> PassOn(this EventActivityBinder<CustomerCareState, DealerRecordsHandedOver> binder) =>
        binder.Then(c => c.Care().PassOn(c.Saga, c.Message));

    /// <summary>A customer being erased has nothing to hand over: the erasure reaches the former operator anyway.</summary>
    public static EventActivityBinder<CustomerCareState, HandOverCustomer> NothingToHandOver(this EventActivityBinder<CustomerCareState, HandOverCustomer> binder) =>
        binder.Then(c => c.Care().NothingToHandOver(c.Saga, c.Message));

    public static EventActivityBinder<CustomerCareState, T> KeepAnswer<T>(this EventActivityBinder<CustomerCareState, T> binder,
        Func<T, (Guid RequestId, string Company, CategoryData Data)> read)
        where T : class =>
        binder.ThenAsync(c =>
        {
            var (requestId, company, data) = read(c.Message);
            return c.Care().Gather(c.Saga, requestId, company, data, c.CancellationToken);
        });

    public static EventActivityBinder<CustomerCareState, T> RecordAcknowledgement<T>(this EventActivityBinder<CustomerCareState, T> binder,
        Func<T, (Guid RequestId, Guid CommandId, string Company, ActionReceipt Receipt)> read)
        where T : class =>
        binder.Then(c =>
        {
            var (requestId, commandId, company, receipt) = read(c.Message);
            c.Care().Acknowledge(c.Saga, requestId, commandId, company, receipt);
        });

    public static EventActivityBinder<CustomerCareState, T> ForgetWhenErased<T>(this EventActivityBinder<CustomerCareState, T> binder)
        where T : class =>
        binder.IfAsync(c => Task.FromResult(CustomerCare.IsErasureDone(c.Saga)), erased => erased
            .ThenAsync(c => c.Care().Forget(c.Saga, c.Saga.FanOuts.Single(f => f.Kind == FanOutKind.Erasure && !f.IsOpen), c.CancellationToken))
            .Finalize());

    public static EventActivityBinder<CustomerCareState, ExtendRequestDeadline> ExtendDeadline(this EventActivityBinder<CustomerCareState, ExtendRequestDeadline> binder) =>
        binder.Then(c => c.Care().ExtendDeadline(c.Saga, c.Message));

    public static EventActivityBinder<CustomerCareState, DeadlineReached> Escalate(this EventActivityBinder<CustomerCareState, DeadlineReached> binder) =>
        binder.Then(c => c.Care().Escalate(c.Saga, c.Message));
}
