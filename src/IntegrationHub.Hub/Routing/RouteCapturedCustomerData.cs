using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using IntegrationHub.Routing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Routing;

/// <summary>
/// Routes one capture: decides with the policy, records the decision, the ledger and the audit in one
/// transaction, then sends each recipient its minimised copy. Sending happens after the commit, so a
/// copy never leaves for a decision that was not stored.
/// </summary>
public sealed class RouteCapturedCustomerData(
    HubDbContext db,
    OperationalNeedPolicy policy,
    PartyDirectory parties,
    CaptureValidator validator,
    TimeProvider clock,
    ILogger<RouteCapturedCustomerData> logger) : IConsumer<CustomerDataCaptured>
{
    // A publisher confirm can get lost (ARCHITECTURE.md): a send that has not completed by then is
    // abandoned and the whole message retried; workers de-duplicate by delivery id.
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(15);

    public async Task Consume(ConsumeContext<CustomerDataCaptured> context)
    {
        var capture = context.Message;
        validator.Validate(capture, PublisherIdentity.Of(context));

        var routed = await db.RoutedCaptures.FindAsync([capture.CaptureId], context.CancellationToken);
        if (routed?.DispatchedAt is not null)
        {
            logger.LogInformation("Capture {CaptureId} for customer {CustomerId} was routed before; duplicate ignored", capture.CaptureId, capture.CustomerId);
            return;
        }

        var customer = await db.Customers.FindAsync([capture.CustomerId], context.CancellationToken);
        if (customer is null)
        {
            customer = new CustomerProfile { CustomerId = capture.CustomerId };
            db.Customers.Add(customer);
        }

        if (capture.DealerId is not null && customer.DealerId != capture.DealerId)
        {
            customer.DealerId = capture.DealerId;
        }

        var decision = policy.Decide(
            new CaptureFacts(capture.SourceCompany, capture.Context, capture.ContractKind, capture.Purpose, capture.Data),
            RoutingStateOf(customer));

        var now = clock.GetUtcNow();
        if (routed is null)
        {
            routed = new RoutedCapture { CaptureId = capture.CaptureId, CustomerId = capture.CustomerId, DecidedAt = now };
            db.RoutedCaptures.Add(routed);
            db.Audit.Add(AuditOf(capture, decision, now));
        }

        await RecordInLedger(capture, decision, now, context.CancellationToken);
        customer.Version++;
        await db.SaveChangesAsync(context.CancellationToken);

        logger.LogInformation("Capture {CaptureId} for customer {CustomerId} from {Sender}: {Decision}",
            capture.CaptureId, capture.CustomerId, capture.SourceCompany, decision.ToString());

        foreach (var copy in decision.Recipients)
        {
            var delivery = new DeliverCustomerData
            {
                DeliveryId = DeliveryId(capture.CaptureId, copy.Company),
                CaptureId = capture.CaptureId,
                CustomerId = capture.CustomerId,
                Recipient = copy.Company,
                SourceCompany = capture.SourceCompany,
                DealerId = customer.DealerId,
                Context = capture.Context,
                ContractKind = capture.ContractKind,
                Purpose = capture.Purpose,
                CapturedAt = capture.CapturedAt,
                Data = copy.Data,
                PolicyVersion = decision.PolicyVersion,
            };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            timeout.CancelAfter(SendTimeout);
            var endpoint = await context.GetSendEndpoint(BrokerNames.CompanyAddress(copy.Company));
            await endpoint.Send(delivery, timeout.Token);
        }

        routed.DispatchedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(context.CancellationToken);
    }

    private CustomerRoutingState RoutingStateOf(CustomerProfile customer)
    {
        var objections = new HashSet<ObjectionKind>();
        if (customer.ObjectedGenerally)
        {
            objections.Add(ObjectionKind.General);
        }

        if (customer.ObjectedToDirectMarketing)
        {
            objections.Add(ObjectionKind.DirectMarketing);
        }

        var dealerOperator = customer.DealerId is null ? null : parties.FindDealer(customer.DealerId)?.Operator;
        return new CustomerRoutingState(customer.ConsentGiven, customer.Restricted, objections, dealerOperator);
    }

    private async Task RecordInLedger(CustomerDataCaptured capture, RoutingDecision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = await db.Ledger.Where(l => l.CustomerId == capture.CustomerId).ToListAsync(cancellationToken);
        foreach (var copy in decision.Recipients)
        {
            var deliveryId = DeliveryId(capture.CaptureId, copy.Company);
            foreach (var category in copy.Data.Keys)
            {
                var entry = held.SingleOrDefault(l => l.Company == copy.Company && l.Category == category);
                if (entry is null)
                {
                    db.Ledger.Add(new LedgerEntry
                    {
                        CustomerId = capture.CustomerId, Company = copy.Company, Category = category,
                        FirstReceivedAt = now, LastReceivedAt = now, LastDeliveryId = deliveryId,
                    });
                }
                else if (entry.LastDeliveryId != deliveryId)
                {
                    entry.LastReceivedAt = now;
                    entry.LastDeliveryId = deliveryId;
                }
            }
        }
    }

    private static AuditRecord AuditOf(CustomerDataCaptured capture, RoutingDecision decision, DateTimeOffset now) => new()
    {
        At = now,
        Kind = "capture-routed",
        MessageId = capture.CaptureId,
        CustomerId = capture.CustomerId,
        SourceCompany = capture.SourceCompany,
        Categories = string.Join(",", capture.Data.Keys.Order()),
        Recipients = string.Join(";", decision.Recipients.Select(r => $"{r.Company}:{string.Join(",", r.Data.Keys.Order())}")),
        Dropped = string.Join(";", decision.Dropped.Select(d => $"{d.Company ?? d.Role.ToString()}:{d.Category}:{d.Reason}")),
        PolicyVersion = decision.PolicyVersion,
    };

    /// <summary>The same capture and recipient always give the same delivery id (a name-based UUID).</summary>
    public static Guid DeliveryId(Guid captureId, string company)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"delivery:{captureId:N}:{company}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
