using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Routing;
using IntegrationHub.Platform;
using IntegrationHub.Routing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Care;

/// <summary>
/// PD announces that a Porsche Zentrum passes from one operator company to another at a given time
/// (DOMAIN.md section 6). The hub records it, so that routing sends the dealer's copies to the new
/// operator from that time on; the change is in the audit trail.
/// </summary>
public sealed class RecordDealerOperatorChange(
    HubDbContext db,
    PartyDirectory parties,
    DealerOperators operators,
    DealerTakeover takeover,
    CompanyCheck companies,
    TimeProvider clock,
    ILogger<RecordDealerOperatorChange> logger) : IConsumer<DealerOperatorChangeAnnounced>
{
    public async Task Consume(ConsumeContext<DealerOperatorChangeAnnounced> context)
    {
        var change = context.Message;
        companies.Require(context, "dealer operator change", "announcedBy", change.AnnouncedBy);
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

        var current = await operators.OperatorOf(change.DealerId!, change.EffectiveAt, context.CancellationToken);
        if (current != change.FromOperator)
        {
            throw new InvalidMessageException($"dealer operator change refused: {change.DealerId} is run by {current} at that time, not by fromOperator {change.FromOperator}");
        }

        var now = clock.GetUtcNow();
        db.DealerAssignments.Add(new DealerAssignment
        {
            TakeoverId = change.TakeoverId, DealerId = change.DealerId!, FromOperator = change.FromOperator, Operator = change.ToOperator!,
            EffectiveAt = change.EffectiveAt, AnnouncedBy = change.AnnouncedBy, RecordedAt = now,
        });
        db.Audit.Add(new AuditRecord
        {
            At = now, Kind = "dealer-operator-change", MessageId = change.TakeoverId, CustomerId = Guid.Empty, SourceCompany = change.AnnouncedBy,
            Categories = "", Recipients = $"{change.DealerId}:{change.FromOperator}->{change.ToOperator}",
            Dropped = $"effective {change.EffectiveAt:O}", PolicyVersion = "",
        });
        await db.SaveChangesAsync(context.CancellationToken);
        if (change.EffectiveAt <= now)
        {
            await takeover.StartDue(context.CancellationToken);
        }

        logger.LogInformation("{Dealer} passes from {From} to {To} at {EffectiveAt} (change {TakeoverId})",
            change.DealerId, change.FromOperator, change.ToOperator, change.EffectiveAt, change.TakeoverId);
    }
}

/// <summary>
/// Lives on the hub's inbound endpoint beside the customer sagas; the endpoint's policies (quorum
/// queue, retries that skip refusals, outbox) come from <see cref="CustomerCareSagaDefinition"/>.
/// </summary>
public sealed class RecordDealerOperatorChangeDefinition : ConsumerDefinition<RecordDealerOperatorChange>
{
    public RecordDealerOperatorChangeDefinition() => EndpointName = BrokerNames.HubInboundQueue;
}
