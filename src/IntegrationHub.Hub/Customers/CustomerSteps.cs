using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Messages;
using MassTransit;

namespace IntegrationHub.Hub.Customers;

/// <summary>The steps of the customer's state machine, named for what they do, so the machine reads as the rules.</summary>
public static class CustomerSteps
{
    private static T Use<T>(this ConsumeContext context) where T : class => context.GetServiceOrCreateInstance<T>();

    public static EventActivityBinder<CustomerState, CustomerDataCaptured> RouteCapture(this EventActivityBinder<CustomerState, CustomerDataCaptured> binder) =>
        binder.Touch().ThenAsync(c => c.Use<CaptureRouting>().Route(c.Saga, c.Message, c.CancellationToken));

    /// <summary>While the holders erase, nothing new is routed or recorded for the customer (Art. 17, Art. 18(1) GDPR).</summary>
    public static EventActivityBinder<CustomerState, T> DropDuringErasure<T>(this EventActivityBinder<CustomerState, T> binder, AuditKind kind,
        Func<T, (Guid MessageId, string Sender)> read)
        where T : class =>
        binder.Then(c =>
        {
            var (messageId, sender) = read(c.Message);
            c.Use<HubAudit>().Record(kind, messageId, c.Saga.CorrelationId, sender);
        });

    public static EventActivityBinder<CustomerState, ConsentGiven> RecordConsent(this EventActivityBinder<CustomerState, ConsentGiven> binder) =>
        binder.Touch().Then(c => c.Saga.Remember(c.Message.ConsentId, true, c.Message.Channel, c.Message.WordingVersion, c.Message.CapturedBy,
            c.Message.GivenAt, c.Use<HubAudit>()));

    public static EventActivityBinder<CustomerState, ConsentWithdrawn> RecordWithdrawal(this EventActivityBinder<CustomerState, ConsentWithdrawn> binder) =>
        binder.Touch().Then(c => c.Saga.Remember(c.Message.ConsentId, false, c.Message.Channel, c.Message.WordingVersion, c.Message.CapturedBy,
            c.Message.WithdrawnAt, c.Use<HubAudit>()));

    /// <summary>Art. 21(1) GDPR: needs analysis stops unless the company recorded compelling grounds.</summary>
    public static EventActivityBinder<CustomerState, ObjectionLodged> RecordObjection(this EventActivityBinder<CustomerState, ObjectionLodged> binder) =>
        binder.Then(c =>
        {
            c.Saga.ObjectedGenerally = true;
            c.Saga.CompellingGrounds = c.Message.CompellingGrounds;
        });

    /// <summary>Art. 21(2),(3) GDPR: absolute, and blocks direct marketing hub-wide from now on.</summary>
    public static EventActivityBinder<CustomerState, DirectMarketingObjectionLodged> RecordDirectMarketingObjection(
        this EventActivityBinder<CustomerState, DirectMarketingObjectionLodged> binder) =>
        binder.Then(c => c.Saga.ObjectedToDirectMarketing = true);

    /// <summary>Art. 18 GDPR: from now on nothing new is forwarded; holders keep storing but stop using.</summary>
    public static EventActivityBinder<CustomerState, T> MarkRestricted<T>(this EventActivityBinder<CustomerState, T> binder, bool restricted)
        where T : class =>
        binder.Then(c => c.Saga.Restricted = restricted);

    /// <summary>Starts the request's own saga with the holders it concerns.</summary>
    public static EventActivityBinder<CustomerState, T> OpenRequest<T>(this EventActivityBinder<CustomerState, T> binder)
        where T : class =>
        binder.Touch().Then(c => c.Use<RequestOpening>().Open(c.Saga, RequestFacts.Of(c.Message)!));

    public static EventActivityBinder<CustomerState, ErasureRequested> OpenErasure(this EventActivityBinder<CustomerState, ErasureRequested> binder) =>
        binder.Then(c => c.Saga.ErasureRequestId = c.Message.RequestId).OpenRequest();

    /// <summary>DOMAIN.md section 5: during an erasure a request is answered by it, or (access, portability) completes with what is left.</summary>
    public static EventActivityBinder<CustomerState, T> AnswerDuringErasure<T>(this EventActivityBinder<CustomerState, T> binder)
        where T : class =>
        binder.Touch().Then(c =>
        {
            var request = RequestFacts.Of(c.Message)!;
            var opening = c.Use<RequestOpening>();
            if (request.RunsDuringErasure)
            {
                opening.Open(c.Saga, request);
            }
            else
            {
                opening.AnswerByErasure(c.Saga, request);
            }
        });

    public static EventActivityBinder<CustomerState, HandOverCustomer> AskForHandOver(this EventActivityBinder<CustomerState, HandOverCustomer> binder) =>
        binder.Touch().Then(c => c.Use<DealerHandOver>().Ask(c.Saga, c.Message));

    public static EventActivityBinder<CustomerState, HandOverCustomer> HandOverNothingWhileErasing(this EventActivityBinder<CustomerState, HandOverCustomer> binder) =>
        binder.Then(c => c.Use<DealerHandOver>().End(c.Saga, c.Message.TakeoverId, c.Message.FromOperator, HandOverOutcome.Erased));

    public static EventActivityBinder<CustomerState, DealerRecordsHandedOver> PassOnRecords(this EventActivityBinder<CustomerState, DealerRecordsHandedOver> binder) =>
        binder.Touch().Then(c => c.Use<DealerHandOver>().PassOn(c.Saga, c.Message));

    /// <summary>Records handed over while the customer is being erased go nowhere; the erasure reaches the former operator too.</summary>
    public static EventActivityBinder<CustomerState, DealerRecordsHandedOver> PassOnNothingWhileErasing(
        this EventActivityBinder<CustomerState, DealerRecordsHandedOver> binder) =>
        binder.Then(c =>
        {
            if (c.Saga.HandOvers.Any(h => h.TakeoverId == c.Message.TakeoverId))
            {
                c.Use<DealerHandOver>().End(c.Saga, c.Message.TakeoverId, c.Message.Company, HandOverOutcome.Erased);
            }
        });

    /// <summary>Art. 19 GDPR: a holder that deleted categories no longer holds them; what it keeps under a retention duty stays.</summary>
    public static EventActivityBinder<CustomerState, HolderReleased> ForgetHolder(this EventActivityBinder<CustomerState, HolderReleased> binder) =>
        binder.Touch().Then(c => c.Saga.Ledger.RemoveAll(h => h.Company == c.Message.Company && c.Message.Categories.Contains(h.Category)));

    public static EventActivityBinder<CustomerState, ErasureFinished> Forget(this EventActivityBinder<CustomerState, ErasureFinished> binder) =>
        binder.ThenAsync(c => c.Use<CustomerErasure>().Forget(c.Saga, c.Message, c.CancellationToken));

    /// <summary>A takeover asked about a customer the hub never knew: nothing to hand over, and the takeover still counts it.</summary>
    public static IPipe<ConsumeContext<HandOverCustomer>> AnswerHandOverForUnknownCustomer(IMissingInstanceConfigurator<CustomerState, HandOverCustomer> missing) =>
        missing.ExecuteAsync(c =>
        {
            c.Use<Sagas.HubOutbox>().Send(c.Message.CustomerId, Platform.BrokerNames.HubAddress,
                new CustomerHandedOver { TakeoverId = c.Message.TakeoverId, CustomerId = c.Message.CustomerId, Outcome = HandOverOutcome.NothingToHandOver });
            return Task.CompletedTask;
        });

    private static EventActivityBinder<CustomerState, T> Touch<T>(this EventActivityBinder<CustomerState, T> binder)
        where T : class =>
        binder.Then(c =>
        {
            var now = c.Use<TimeProvider>().GetUtcNow();
            if (c.Saga.CreatedAt == default)
            {
                c.Saga.CreatedAt = now;
            }

            c.Saga.UpdatedAt = now;
        });

    /// <summary>Events can arrive out of order; the consent state follows the latest act of the customer (Art. 7(1) GDPR).</summary>
    private static void Remember(this CustomerState state, Guid consentId, bool granted, ConsentChannel channel, string? wordingVersion,
        string capturedBy, DateTimeOffset at, HubAudit audit)
    {
        if (state.Consent is null || at >= state.Consent.At)
        {
            state.Consent = new ConsentRecord { Granted = granted, Channel = channel, At = at, WordingVersion = wordingVersion, CapturedBy = capturedBy, ConsentId = consentId };
        }

        audit.Record(granted ? AuditKind.ConsentGiven : AuditKind.ConsentWithdrawn, consentId, state.CorrelationId, capturedBy,
            note: $"channel {channel}, wording {wordingVersion ?? "-"}");
    }
}
