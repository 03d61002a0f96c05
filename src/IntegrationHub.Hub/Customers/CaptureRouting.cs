using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using IntegrationHub.Routing;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// Routes a capture by the policy (Art. 26 GDPR matrix): each company with an operational need gets
/// its minimised copy, the ledger records what it now holds, and the decision is audited.
/// </summary>
public sealed class CaptureRouting(
    HubDbContext db,
    HubOutbox outbox,
    OperationalNeedPolicy policy,
    DealerOperators dealers,
    HubAudit audit,
    CustomerHashing hashing,
    TimeProvider clock,
    ILogger<CaptureRouting> logger)
{
    public async Task Route(CustomerState state, CustomerDataCaptured capture, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (capture.DealerId is not null)
        {
            state.DealerId = capture.DealerId;
        }

        var decision = policy.Decide(
            new CaptureFacts(capture.SourceCompany, capture.Context, capture.ContractKind, capture.Purpose, capture.Data),
            await RoutingStateOf(state, now, cancellationToken));

        foreach (var copy in decision.Recipients)
        {
            var deliveryId = RequestCommands.DeliveryId(capture.CaptureId, copy.Company);
            outbox.Send(state.CorrelationId, BrokerNames.CompanyAddress(copy.Company), new DeliverCustomerData
            {
                DeliveryId = deliveryId, CaptureId = capture.CaptureId, CustomerId = capture.CustomerId, Recipient = copy.Company,
                SourceCompany = capture.SourceCompany, DealerId = state.DealerId, Context = capture.Context, ContractKind = capture.ContractKind,
                Purpose = capture.Purpose, CapturedAt = capture.CapturedAt, Data = copy.Data, PolicyVersion = decision.PolicyVersion,
            });
            foreach (var category in copy.Data.Keys)
            {
                state.Hold(copy.Company, category, deliveryId, now);
            }
        }

        await CountOnly(state, capture, decision, cancellationToken);
        audit.Routed(capture, decision);
        logger.LogInformation("Capture {CaptureId} from {Sender}: {Decision}", capture.CaptureId, capture.SourceCompany, decision.ToString());
    }

    /// <summary>
    /// Seed, section 4: individual-care data without consent, and data for statistics, are not
    /// forwarded to anyone; they only count toward aggregates (see <see cref="AggregateStatistics"/>).
    /// </summary>
    private async Task CountOnly(CustomerState state, CustomerDataCaptured capture, RoutingDecision decision, CancellationToken cancellationToken)
    {
        var counted = decision.Dropped.Where(d => d.Reason is DropReason.ConsentMissing or DropReason.AggregatesOnly).Select(d => d.Category).Distinct()
            .Where(category => !decision.Recipients.Any(r => r.Data.ContainsKey(category))).ToList();
        if (counted.Count == 0)
        {
            return;
        }

        var day = capture.CapturedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var hash = hashing.HashOf(state.CorrelationId);
        foreach (var category in counted)
        {
            if (await db.Sightings.FindAsync([day, capture.Context, category, hash], cancellationToken) is null &&
                !db.Sightings.Local.Any(s => s.Day == day && s.Context == capture.Context && s.Category == category && s.CustomerHash == hash))
            {
                db.Sightings.Add(new AggregateSighting { Day = day, Context = capture.Context, Category = category, CustomerHash = hash });
            }
        }
    }

    private async Task<CustomerRoutingState> RoutingStateOf(CustomerState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var objections = new HashSet<ObjectionKind>();
        if (state.ObjectedGenerally && state.CompellingGrounds is null)
        {
            objections.Add(ObjectionKind.General);
        }

        if (state.ObjectedToDirectMarketing)
        {
            objections.Add(ObjectionKind.DirectMarketing);
        }

        var dealerOperator = state.DealerId is null ? null : await dealers.OperatorOf(state.DealerId, now, cancellationToken);
        return new CustomerRoutingState(state.ConsentGiven, state.Restricted, objections, dealerOperator);
    }
}
