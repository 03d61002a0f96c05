using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Tests;

/// <summary>Outbox rows written straight into a hub's store, as a saga's transaction writes them, and what became of them.</summary>
internal static class OutboxRows
{
    public static readonly Uri Pd = BrokerNames.CompanyAddress("PD");

    /// <summary>A small command with an id of its own, to tell every sent copy apart.</summary>
    public static LiftRestriction Command(Guid customer) => new()
    {
        CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = customer, Recipient = "PD",
        Categories = [DataCategory.ContactIdentification], AcknowledgeBy = HubHarness.Start.AddDays(3),
    };

    /// <summary>Writes the rows in one commit, in the order given (their ids follow it).</summary>
    public static Task Stage(this HubHarness hub, Action<HubOutbox, HubDbContext> stage) =>
        hub.Query(async db =>
        {
            stage(new HubOutbox(db, hub.Clock), db);
            return await db.SaveChangesAsync();
        });

    public static Task<List<OutboxRow>> Rows(this HubHarness hub, Guid customer) =>
        hub.Query(db => db.Outbox.AsNoTracking().Where(o => o.CustomerId == customer).OrderBy(o => o.Id).ToListAsync());

    public static Task<OutboxOverview> Overview(this HubHarness hub) =>
        hub.Query(db => new OutboxDesk(db).Overview());

    /// <summary>The commands of type LiftRestriction this hub's bus sent, by command id.</summary>
    public static List<Guid> SentCommands(this HubHarness hub) =>
        hub.SentSoFar<LiftRestriction>(_ => true).Select(c => c.CommandId).ToList();
}
