using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Tests;

/// <summary>A customer known to several holders, so a fan-out has someone to reach.</summary>
public abstract class FanOutSpecification : IAsyncLifetime
{
    protected HubHarness Hub { get; private set; } = null!;

    protected Guid Customer { get; } = Guid.NewGuid();

    protected Guid RequestId { get; } = Guid.NewGuid();

    public Task InitializeAsync() => Given(TestStore.Sqlite);

    /// <summary>
    /// Runs the test on <paramref name="store"/>: the hub and its customer of six holders set up there
    /// instead (nothing to do for SQLite, where every test starts).
    /// </summary>
    protected async Task On(TestStore store)
    {
        if (store != Hub.Store)
        {
            await Hub.DisposeAsync();
            await Given(store);
        }
    }

    private async Task Given(TestStore store)
    {
        Hub = await HubHarness.StartNew(store: store);
        // Consent first, and recorded, before the profile arrives: messages of one customer published
        // together may be handled in any order.
        await Hub.Publish(Scenario.Consent(Customer));
        await Hub.Settled(s => s?.ConsentGiven == true, Customer, "consent recorded");
        await Hub.Publish(Scenario.WorkshopVisit(Customer));
        await Hub.Publish(Scenario.InterestProfile(Customer));
        await Hub.Publish(Scenario.Capture(Customer, "OP-NORD", CaptureContext.VehicleContract, Purpose.JointCare,
            DataCategory.ContactIdentification, DataCategory.CreditBank, DataCategory.FinancingLeasingInsurance));

        // OP-NORD, PAG and PD hold contact data; PFS, PFSKG and PSM only the interest profile.
        await Hub.Settled(s => s?.Ledger.Select(h => h.Company).Distinct().Count() == 6, Customer, "six holders");
    }

    public async Task DisposeAsync() => await Hub.DisposeAsync();

    protected static readonly string[] AllHolders = ["OP-NORD", "PAG", "PD", "PFS", "PFSKG", "PSM"];
}
