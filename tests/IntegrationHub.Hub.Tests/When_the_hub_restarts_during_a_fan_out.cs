using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Tests;

public sealed class When_the_hub_restarts_during_a_fan_out
{
    [Fact]
    public async Task Should_complete_the_fan_out_and_still_fire_its_deadlines()
    {
        var customer = Guid.NewGuid();
        var erasure = Guid.NewGuid();
        var directory = Path.Combine(Path.GetTempPath(), "ih-restart-" + Guid.NewGuid().ToString("N"));
        var databasePath = Path.Combine(directory, "hub.db");
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(HubHarness.Start);
        List<EraseCustomerData> commands;

        await using (var before = await HubHarness.StartNew(databasePath, clock))
        {
            await before.Publish(Scenario.Consent(customer));
            await before.Settled(s => s?.ConsentGiven == true, customer, "consent recorded");
            await before.Publish(Scenario.WorkshopVisit(customer));
            await before.Publish(Scenario.InterestProfile(customer));
            await before.Settled(s => s?.Ledger.Select(h => h.Company).Distinct().Count() == 5, customer, "five holders");
            await before.Publish(new ErasureRequested { RequestId = erasure, CustomerId = customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
            commands = await before.Sent<EraseCustomerData>(c => c.RequestId == erasure, 5);
            foreach (var command in commands.Take(3))
            {
                await before.Publish(Acknowledgement(command));
            }

            await before.RequestSettled(r => r!.Waiting.Count() == 2, erasure, "two holders still to answer");
        }

        var after = await HubHarness.StartNew(databasePath, clock);
        var silent = commands.Skip(3).ToList();

        // The deadline of the silent holders fires in the restarted hub.
        await after.Advance(TimeSpan.FromHours(73));
        var overdue = await after.Published<AcknowledgementOverdue>(o => o.RequestId == erasure, 2);
        Assert.Equal(silent.Select(c => c.Recipient).Order(), overdue.Select(o => o.Company).Order());

        foreach (var command in silent)
        {
            await after.Publish(Acknowledgement(command));
        }

        var completed = Assert.Single(await after.Published<ErasureCompleted>(c => c.RequestId == erasure, 1));
        Assert.Equal(5, completed.AcknowledgedBy.Count);
        await after.Settled(s => s is null, customer, "customer erased");
        await after.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);

        CustomerDataErased Acknowledgement(EraseCustomerData command) => new()
        {
            CommandId = command.CommandId, RequestId = erasure, CustomerId = customer, Company = command.Recipient,
            Receipt = Scenario.Receipt(OutcomeKind.Erased, [.. command.Categories]),
        };
    }
}
