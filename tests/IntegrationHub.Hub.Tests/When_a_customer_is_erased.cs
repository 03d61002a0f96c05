using IntegrationHub.Contracts;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Tests;

public sealed class When_a_customer_is_erased : FanOutSpecification
{
    [Fact]
    public async Task Should_erase_at_every_holder_then_keep_only_a_tombstone()
    {
        await Hub.Publish(new ErasureRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });

        var commands = await Hub.Sent<EraseCustomerData>(c => c.RequestId == RequestId, 6);
        Assert.Equal(AllHolders, commands.Select(c => c.Recipient).Order());
        Assert.All(commands, c => Assert.Equal(ErasureReason.DataSubjectRequest, c.Reason));
        await Hub.Settled(s => s?.CurrentState == "Erasing", Customer, "erasing");

        foreach (var command in commands)
        {
            // PFSKG keeps the leasing contract's financing data under its retention duty.
            var receipt = command.Recipient == "PFSKG"
                ? Scenario.Receipt(OutcomeKind.KeptRestricted, DataCategory.FinancingLeasingInsurance)
                : Scenario.Receipt(OutcomeKind.Erased, [.. command.Categories]);
            await Hub.Publish(new CustomerDataErased { CommandId = command.CommandId, RequestId = RequestId, CustomerId = Customer, Company = command.Recipient, Receipt = receipt });
        }

        var completed = Assert.Single(await Hub.Published<ErasureCompleted>(c => c.RequestId == RequestId, 1));
        Assert.Equal(6, completed.AcknowledgedBy.Count);
        await Hub.Settled(s => s is null, Customer, "saga deleted");

        var tombstone = await Hub.Query(db => db.Tombstones.SingleAsync(t => t.ErasureRequestId == RequestId));
        Assert.Equal(6, tombstone.ReceiptDigests.Split(';').Length);
        Assert.All(tombstone.ReceiptDigests.Split(';'), d => Assert.Contains("=sha256:", d));
        Assert.DoesNotContain(Customer.ToString(), tombstone.CustomerHash);
        Assert.Equal(0, await Hub.Query(db => db.Audit.CountAsync(a => a.CustomerId == Customer)));
        Assert.True(await Hub.Query(db => db.Audit.CountAsync(a => a.CustomerHash == tombstone.CustomerHash)) >= 10);
        Assert.Equal(0, await Hub.Query(db => db.Ledger.CountAsync(l => l.CustomerId == Customer)));
        Assert.Equal(0, await Hub.Query(db => db.Deadlines.CountAsync(d => d.CustomerId == Customer)));

        // secure_delete: the deleted saga row is overwritten, not left in the file's free pages;
        // synchronous FULL (2): what was committed stays committed.
        Assert.Equal(1L, await Pragma("secure_delete"));
        Assert.Equal(2L, await Pragma("synchronous"));
    }

    [Fact]
    public async Task Should_quarantine_a_later_capture_without_routing_it_or_recreating_the_customer()
    {
        await EraseCompletely();
        var late = Scenario.WorkshopVisit(Customer);

        await Hub.Publish(late);

        await WaitForQuarantine(1);
        Assert.Null(await Hub.Customer(Customer));
        Assert.Empty(Hub.SentSoFar<DeliverCustomerData>(d => d.CaptureId == late.CaptureId));
        Assert.Equal(0, await Hub.Query(db => db.Audit.CountAsync(a => a.MessageId == late.CaptureId)));
    }

    [Fact]
    public async Task Should_hold_captures_that_arrive_while_the_holders_erase()
    {
        await Hub.Publish(new ErasureRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        await Hub.Settled(s => s?.CurrentState == "Erasing", Customer, "erasing");
        var during = Scenario.WorkshopVisit(Customer);

        await Hub.Publish(during);

        await Hub.Settled(s => s!.Version >= 6, Customer, "capture handled");
        Assert.Empty(Hub.SentSoFar<DeliverCustomerData>(d => d.CaptureId == during.CaptureId));
        Assert.Equal("capture-held-erasing", await Hub.Query(db => db.Audit.Where(a => a.MessageId == during.CaptureId).Select(a => a.Kind).SingleAsync()));
    }

    [Fact]
    public async Task Should_tombstone_at_once_a_customer_nobody_holds()
    {
        var stranger = Guid.NewGuid();

        await Hub.Publish(new ErasureRequested { RequestId = Guid.NewGuid(), CustomerId = stranger, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });

        Assert.Single(await Hub.Published<ErasureCompleted>(c => c.CustomerId == stranger, 1));
        await Hub.Publish(Scenario.WorkshopVisit(stranger));
        await WaitForQuarantine(1);
        Assert.Null(await Hub.Customer(stranger));
    }

    private Task<long> Pragma(string name) => Hub.Query(async db =>
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)(await command.ExecuteScalarAsync())!;
    });

    private async Task EraseCompletely()
    {
        await Hub.Publish(new ErasureRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        foreach (var command in await Hub.Sent<EraseCustomerData>(c => c.RequestId == RequestId, 6))
        {
            await Hub.Publish(new CustomerDataErased
            {
                CommandId = command.CommandId, RequestId = RequestId, CustomerId = Customer, Company = command.Recipient,
                Receipt = Scenario.Receipt(OutcomeKind.Erased, [.. command.Categories]),
            });
        }

        await Hub.Settled(s => s is null, Customer, "saga deleted");
    }

    private async Task WaitForQuarantine(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await Hub.Query(db => db.Tombstones.SumAsync(t => t.QuarantinedMessages)) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "nothing was quarantined within 20 s");
            await Task.Delay(20);
        }
    }
}
