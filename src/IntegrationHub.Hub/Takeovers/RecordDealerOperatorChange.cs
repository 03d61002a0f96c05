using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using IntegrationHub.Routing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Takeovers;

/// <summary>
/// PD announces that a Porsche Zentrum passes from one operator company to another at a given time
/// (DOMAIN.md section 6). The hub records it, so that routing sends the dealer's copies to the new
/// operator from that time on; the change is in the audit trail.
/// </summary>
public sealed class RecordDealerOperatorChange(
    HubDbContext db,
    PartyDirectory parties,
    DealerOperators operators,
    HubOutbox outbox,
    HubAudit audit,
    TimeProvider clock,
    ILogger<RecordDealerOperatorChange> logger) : IConsumer<DealerOperatorChangeAnnounced>
{
    public async Task Consume(ConsumeContext<DealerOperatorChangeAnnounced> context)
    {
        var change = context.Message;
        if (change.AnnouncedBy != CompanyIds.PorscheDeutschland)
        {
            throw new InvalidMessageException("dealer operator change refused: only PD, which runs the dealer network, announces operator changes");
        }

        if (change.TakeoverId == Guid.Empty)
        {
            throw new InvalidMessageException("dealer operator change refused: takeoverId is missing");
        }

        if (parties.FindDealer(change.DealerId ?? "") is null)
        {
            throw new InvalidMessageException("dealer operator change refused: dealerId is not a known Porsche Zentrum");
        }

        if (parties.FindCompany(change.ToOperator ?? "") is not { Role: PartyRole.Dealer } || change.ToOperator == change.FromOperator)
        {
            throw new InvalidMessageException("dealer operator change refused: toOperator is not another dealer operator company");
        }

        if (await db.DealerAssignments.AnyAsync(a => a.TakeoverId == change.TakeoverId, context.CancellationToken))
        {
            logger.LogInformation("Dealer operator change {TakeoverId} recorded before; duplicate ignored", change.TakeoverId);
            return;
        }

        // DOMAIN.md 6.1: an announcement whose time has passed takes effect when the hub handles it,
        // and the takeover records that real time; captures routed before it went to the former operator.
        var now = clock.GetUtcNow();
        var effectiveAt = change.EffectiveAt < now ? now : change.EffectiveAt;
        var current = await operators.OperatorOf(change.DealerId!, effectiveAt, context.CancellationToken);
        if (current != change.FromOperator)
        {
            throw new InvalidMessageException($"dealer operator change refused: {change.DealerId} is run by {current} at that time, not by fromOperator {change.FromOperator}");
        }

        db.DealerAssignments.Add(new DealerAssignment
        {
            TakeoverId = change.TakeoverId, DealerId = change.DealerId!, FromOperator = change.FromOperator, Operator = change.ToOperator!,
            EffectiveAt = effectiveAt, AnnouncedEffectiveAt = change.EffectiveAt, AnnouncedBy = change.AnnouncedBy, RecordedAt = now,
        });
        audit.Record(AuditKind.DealerOperatorChange, change.TakeoverId, null, change.AnnouncedBy, change.ToOperator,
            note: $"{change.DealerId}: {change.FromOperator} -> {change.ToOperator}, effective {effectiveAt:O}");
        if (effectiveAt <= now)
        {
            outbox.Send(Guid.Empty, BrokerNames.HubAddress, new StartTakeover { NoticeId = change.TakeoverId, TakeoverId = change.TakeoverId });
        }

        logger.LogInformation("{Dealer} passes from {From} to {To} at {EffectiveAt} (change {TakeoverId})",
            change.DealerId, change.FromOperator, change.ToOperator, change.EffectiveAt, change.TakeoverId);
    }
}

/// <summary>Lives on the hub's inbound endpoint; its conventions come from <see cref="UnitOfWork.HubEndpoint"/>.</summary>
public sealed class RecordDealerOperatorChangeDefinition : ConsumerDefinition<RecordDealerOperatorChange>
{
    public RecordDealerOperatorChangeDefinition() => EndpointName = BrokerNames.HubInboundQueue;
}
