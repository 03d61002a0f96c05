using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Takeovers;

/// <summary>
/// Runs a dealer takeover once it has taken effect: every customer of the Zentrum is asked to be handed
/// over by its own saga and counted by id when done; a customer erased or being erased counts as done
/// with nothing to hand over, so a takeover always ends. Late ones are escalated to operations.
/// </summary>
public sealed class TakeoverSteps(HubDbContext db, HubOutbox outbox, HubAudit audit, HubOptions options, TimeProvider clock, ILogger<TakeoverSteps> logger)
{
    public async Task Start(TakeoverState takeover, StartTakeover start, CancellationToken cancellationToken)
    {
        var assignment = await db.DealerAssignments.SingleAsync(a => a.TakeoverId == start.TakeoverId, cancellationToken);
        var now = clock.GetUtcNow();
        takeover.DealerId = assignment.DealerId;
        takeover.FromOperator = assignment.FromOperator;
        takeover.ToOperator = assignment.Operator;
        takeover.EffectiveAt = assignment.EffectiveAt;
        takeover.StartedAt = now;
        takeover.DueAt = now + options.TakeoverDeadline;
        assignment.StartedAt = now;

        var customers = await db.CustomerDealers.Where(d => d.DealerId == assignment.DealerId).Select(d => d.CustomerId).ToListAsync(cancellationToken);
        takeover.Customers = customers.Count;
        foreach (var customer in customers)
        {
            db.TakeoverCustomers.Add(new TakeoverCustomer { TakeoverId = takeover.CorrelationId, CustomerId = customer });
            outbox.Send(customer, BrokerNames.HubAddress, new HandOverCustomer
            {
                TakeoverId = takeover.CorrelationId, CustomerId = customer, DealerId = assignment.DealerId,
                FromOperator = assignment.FromOperator, ToOperator = assignment.Operator,
            });
        }

        audit.Record(AuditKind.TakeoverStarted, takeover.CorrelationId, null, assignment.AnnouncedBy, assignment.Operator, note: $"{customers.Count} customers");
        logger.LogInformation("Takeover {TakeoverId} of {Dealer}: hand-over of {Count} customers started", takeover.CorrelationId, takeover.DealerId, customers.Count);
        CompleteIfDone(takeover);
    }

    /// <summary>Counts a customer of the snapshot once, however often told.</summary>
    public async Task Count(TakeoverState takeover, CustomerHandedOver handedOver, CancellationToken cancellationToken)
    {
        var customer = await db.TakeoverCustomers.FindAsync([handedOver.TakeoverId, handedOver.CustomerId], cancellationToken);
        if (customer is null || customer.DoneAt is not null)
        {
            return;
        }

        customer.DoneAt = clock.GetUtcNow();
        customer.Outcome = handedOver.Outcome;
        takeover.Done++;
        CompleteIfDone(takeover);
    }

    public async Task Escalate(TakeoverState takeover, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (takeover.CompletedAt is not null || takeover.OverdueSince is not null || now < takeover.DueAt)
        {
            return;
        }

        takeover.OverdueSince = now;
        var waiting = await db.TakeoverCustomers.CountAsync(c => c.TakeoverId == takeover.CorrelationId && c.DoneAt == null, cancellationToken);
        outbox.Publish(Guid.Empty, new DealerOperatorChangeOverdue
        {
            TakeoverId = takeover.CorrelationId, DealerId = takeover.DealerId, FromOperator = takeover.FromOperator, ToOperator = takeover.ToOperator,
            DueAt = takeover.DueAt, Customers = takeover.Customers, CustomersWaiting = waiting,
        });
        audit.Record(AuditKind.TakeoverOverdue, takeover.CorrelationId, null, HubAudit.Hub, takeover.FromOperator, reason: AuditReason.Waiting,
            note: $"{waiting} of {takeover.Customers} customers waiting");
        logger.LogWarning("Takeover {TakeoverId} of {Dealer} is past its deadline: {Waiting} of {Count} customers not handed over",
            takeover.CorrelationId, takeover.DealerId, waiting, takeover.Customers);
    }

    private void CompleteIfDone(TakeoverState takeover)
    {
        if (takeover.CompletedAt is not null || takeover.Done < takeover.Customers)
        {
            return;
        }

        var now = clock.GetUtcNow();
        takeover.CompletedAt = now;
        outbox.Publish(Guid.Empty, new DealerOperatorChangeCompleted
        {
            TakeoverId = takeover.CorrelationId, DealerId = takeover.DealerId, FromOperator = takeover.FromOperator, ToOperator = takeover.ToOperator,
            CustomersTransferred = takeover.Customers, CompletedAt = now,
        });
        audit.Record(AuditKind.TakeoverCompleted, takeover.CorrelationId, null, HubAudit.Hub, takeover.ToOperator, note: $"{takeover.Customers} customers");
        logger.LogInformation("Takeover {TakeoverId} of {Dealer} complete: {Count} customers now with {To}",
            takeover.CorrelationId, takeover.DealerId, takeover.Customers, takeover.ToOperator);
    }
}
