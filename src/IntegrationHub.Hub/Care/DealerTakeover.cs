using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Care;

/// <summary>
/// Runs a dealer takeover once it has taken effect (DOMAIN.md section 6): every customer of the
/// Zentrum is handed over by its own saga, and the takeover is complete when all of them are. The
/// progress (customers, handed over) is in <see cref="DealerAssignment"/> and the audit trail.
/// </summary>
public sealed class DealerTakeover(HubDbContext db, HubOutbox outbox, OutboxDispatcher dispatcher, TimeProvider clock, ILogger<DealerTakeover> logger)
{
    /// <summary>Starts every announced takeover whose time has come; returns how many started.</summary>
    public async Task<int> StartDue(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.DealerAssignments.Where(a => a.StartedAt == null && a.EffectiveAt <= now).ToListAsync(cancellationToken);
        foreach (var takeover in due)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var customers = await db.CustomerDealers.Where(d => d.DealerId == takeover.DealerId).Select(d => d.CustomerId).ToListAsync(cancellationToken);
            foreach (var customer in customers)
            {
                outbox.Send(customer, BrokerNames.HubAddress, new HandOverCustomer
                {
                    TakeoverId = takeover.TakeoverId, CustomerId = customer, DealerId = takeover.DealerId,
                    FromOperator = takeover.FromOperator, ToOperator = takeover.Operator,
                });
            }

            takeover.StartedAt = now;
            takeover.Customers = customers.Count;
            db.Audit.Add(Audit(takeover, "takeover-started", $"{customers.Count} customers"));
            if (customers.Count == 0)
            {
                Complete(takeover, now);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Takeover {TakeoverId} of {Dealer}: hand-over of {Count} customers started", takeover.TakeoverId, takeover.DealerId, customers.Count);
        }

        if (due.Count > 0)
        {
            dispatcher.Wake();
        }

        return due.Count;
    }

    /// <summary>Counts a customer as handed over (once, however often told); completes the takeover with the last one.</summary>
    public async Task CountHandedOver(CustomerHandedOver handedOver, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var takeover = await db.DealerAssignments.SingleOrDefaultAsync(a => a.TakeoverId == handedOver.TakeoverId, cancellationToken);
        if (takeover is null || await db.HandedOver.AnyAsync(h => h.TakeoverId == handedOver.TakeoverId && h.CustomerId == handedOver.CustomerId, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        db.HandedOver.Add(new HandedOverCustomer { TakeoverId = handedOver.TakeoverId, CustomerId = handedOver.CustomerId, At = now });
        var done = await db.HandedOver.CountAsync(h => h.TakeoverId == handedOver.TakeoverId, cancellationToken) + 1;
        if (done >= takeover.Customers && takeover.CompletedAt is null && takeover.StartedAt is not null)
        {
            Complete(takeover, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        dispatcher.Wake();
    }

    private void Complete(DealerAssignment takeover, DateTimeOffset now)
    {
        takeover.CompletedAt = now;
        db.Audit.Add(Audit(takeover, "takeover-completed", $"{takeover.Customers} customers"));
        outbox.Publish(Guid.Empty, new DealerOperatorChangeCompleted
        {
            TakeoverId = takeover.TakeoverId, DealerId = takeover.DealerId, FromOperator = takeover.FromOperator, ToOperator = takeover.Operator,
            CustomersTransferred = takeover.Customers, CompletedAt = now,
        });
        logger.LogInformation("Takeover {TakeoverId} of {Dealer} complete: {Count} customers now with {To}", takeover.TakeoverId, takeover.DealerId, takeover.Customers, takeover.Operator);
    }

    private AuditRecord Audit(DealerAssignment takeover, string kind, string note) => new()
    {
        At = clock.GetUtcNow(), Kind = kind, MessageId = takeover.TakeoverId, CustomerId = Guid.Empty, SourceCompany = takeover.AnnouncedBy,
        Categories = "", Recipients = $"{takeover.DealerId}:{takeover.FromOperator}->{takeover.Operator}", Dropped = note, PolicyVersion = "",
    };
}

/// <summary>Counts customers handed over; lives on the hub's inbound endpoint.</summary>
public sealed class CountHandedOverCustomers(DealerTakeover takeover) : IConsumer<CustomerHandedOver>
{
    public Task Consume(ConsumeContext<CustomerHandedOver> context) => takeover.CountHandedOver(context.Message, context.CancellationToken);
}

public sealed class CountHandedOverCustomersDefinition : ConsumerDefinition<CountHandedOverCustomers>
{
    public CountHandedOverCustomersDefinition() => EndpointName = BrokerNames.HubInboundQueue;
}
