using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using IntegrationHub.Routing;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// Dealer takeover, step 2 (DOMAIN.md section 6), for one customer: the former operator hands over
/// what it holds, the new operator gets what the dealer role may hold, then the former operator
/// erases its copies (reason: operator change) in a request of its own. Consent, objections and the
/// restriction travel with the records: they are the customer's, not the dealer's.
/// </summary>
public sealed class DealerHandOver(HubOutbox outbox, OperationalNeedPolicy policy, RequestOpening requests, HubAudit audit, HubOptions options, TimeProvider clock)
{
    public void Ask(CustomerState state, HandOverCustomer order)
    {
        if (state.HandOvers.Any(h => h.TakeoverId == order.TakeoverId))
        {
            return;
        }

        var held = state.Ledger.Where(h => h.Company == order.FromOperator).Select(h => h.Category).Distinct().Order().ToList();
        if (state.DealerId != order.DealerId || held.Count == 0)
        {
            End(state, order.TakeoverId, order.FromOperator, HandOverOutcome.NothingToHandOver);
            return;
        }

        var commandId = RequestCommands.CommandId(RequestCommands.TakeoverRequestId(order.TakeoverId, state.CorrelationId, "hand-over"), order.FromOperator);
        state.HandOvers.Add(new PendingHandOver(order.TakeoverId, commandId, order.FromOperator, order.ToOperator));
        outbox.Send(state.CorrelationId, BrokerNames.CompanyAddress(order.FromOperator), new HandOverDealerRecords
        {
            CommandId = commandId, TakeoverId = order.TakeoverId, CustomerId = state.CorrelationId, Recipient = order.FromOperator,
            DealerId = order.DealerId, AcknowledgeBy = clock.GetUtcNow() + options.AcknowledgementDeadline,
        });
        foreach (var category in held)
        {
            audit.Record(AuditKind.HandOverRequested, order.TakeoverId, state.CorrelationId, AuditHub, order.FromOperator, category, AuditReason.Requested);
        }
    }

    /// <summary>The customer's part of the takeover is over without a hand-over; the takeover counts it.</summary>
    public void End(CustomerState state, Guid takeoverId, string fromOperator, HandOverOutcome outcome)
    {
        state.HandOvers.RemoveAll(h => h.TakeoverId == takeoverId);
        outbox.Send(state.CorrelationId, BrokerNames.HubAddress, new CustomerHandedOver { TakeoverId = takeoverId, CustomerId = state.CorrelationId, Outcome = outcome });
        audit.Record(AuditKind.HandOverEnded, takeoverId, state.CorrelationId, AuditHub, fromOperator,
            reason: outcome == HandOverOutcome.Erased ? AuditReason.CustomerErased : AuditReason.NothingToHandOver);
    }

    /// <summary>The former operator handed over its records: pass them on, then have it erase them.</summary>
    public void PassOn(CustomerState state, DealerRecordsHandedOver answer)
    {
        if (state.HandOvers.SingleOrDefault(h => h.TakeoverId == answer.TakeoverId && h.CommandId == answer.CommandId && h.FromOperator == answer.Company)
            is not { } handOver)
        {
            return;
        }

        var now = clock.GetUtcNow();
        state.HandOvers.Remove(handOver);
        var to = handOver.ToOperator;
        var allowed = answer.Records.Where(r =>
            policy.Policy.Cell(r.Category, PartyRole.Dealer).Count > 0 && (!policy.Policy.ConsentOnlyCategories.Contains(r.Category) || state.ConsentGiven)).ToList();
        var requestId = RequestCommands.TakeoverRequestId(answer.TakeoverId, state.CorrelationId, "hand-over");
        if (allowed.Count > 0)
        {
            var commandId = RequestCommands.CommandId(requestId, to);
            outbox.Send(state.CorrelationId, BrokerNames.CompanyAddress(to), new TakeOverDealerRecords
            {
                CommandId = commandId, TakeoverId = answer.TakeoverId, CustomerId = state.CorrelationId, Recipient = to, DealerId = state.DealerId!,
                FromOperator = answer.Company, Records = allowed, PolicyVersion = policy.Policy.Version,
                Restricted = state.Restricted, NoNeedsAnalysis = state.ObjectedGenerally && state.CompellingGrounds is null,
                NoDirectMarketing = state.ObjectedToDirectMarketing, NoPersonalisedContact = !state.ConsentGiven,
            });
            foreach (var category in allowed.Select(r => r.Category).Distinct().Order())
            {
                state.Hold(to, category, commandId, now);
                audit.Record(AuditKind.HandOverPassedOn, answer.TakeoverId, state.CorrelationId, answer.Company, to, category, AuditReason.Delivered);
            }
        }

        foreach (var category in answer.Records.Select(r => r.Category).Except(allowed.Select(r => r.Category)).Distinct().Order())
        {
            audit.Record(AuditKind.HandOverPassedOn, answer.TakeoverId, state.CorrelationId, answer.Company, to, category, AuditReason.NoOperationalNeed);
        }

        var erasure = new RequestFacts(RequestKind.OperatorChangeErasure, RequestCommands.TakeoverRequestId(answer.TakeoverId, state.CorrelationId, "erase"),
            state.CorrelationId, CompanyIds.PorscheDeutschland, now);
        var categories = state.Ledger.Where(h => h.Company == answer.Company).Select(h => h.Category).Distinct().Order().ToList();
        requests.Open(state, erasure, answer.TakeoverId, [new RequestHolder(answer.Company, categories)], state.DealerId);
    }

    private const string AuditHub = HubAudit.Hub;
}
