using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Contracts;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Tests;

public sealed class When_a_customer_is_erased : FanOutSpecification
{
    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Should_erase_at_every_holder_then_keep_only_a_tombstone(TestStore store)
    {
        await On(store);
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
        // The tombstone names the customer only by the hub's keyed hash: another key gives another hash.
        Assert.Equal(new CustomerHashing(new HubOptions()).HashOf(Customer), tombstone.CustomerHash);
        Assert.NotEqual(new CustomerHashing(new HubOptions { TombstoneKey = "another key" }).HashOf(Customer), tombstone.CustomerHash);
        Assert.Equal(0, await Hub.Query(db => db.Audit.CountAsync(a => a.CustomerId == Customer)));
        Assert.True(await Hub.Query(db => db.Audit.CountAsync(a => a.CustomerHash == tombstone.CustomerHash)) >= 10);
        Assert.Equal(0, await Hub.Query(db => db.Ledger.CountAsync(l => l.CustomerId == Customer)));
        Assert.Equal(0, await Hub.Query(db => db.Deadlines.CountAsync(d => d.SagaId == RequestId)));

        // The request outlives the customer: done, every company's receipt, under the keyed hash only.
        await Hub.RequestSettled(r => r?.CustomerId is null, RequestId, "request forgot the customer id");
        var status = (await Hub.Status(RequestId))!;
        Assert.Equal("done", status.State);
        Assert.Equal(AllHolders, status.Receipts.Select(r => r.Company).Order());
        Assert.Contains(status.Receipts.Single(r => r.Company == "PFSKG").Outcomes, o => o.Outcome == OutcomeKind.KeptRestricted && o.LegalBasis is not null);
        Assert.Equal(tombstone.CustomerHash, status.CustomerHash);
        Assert.DoesNotContain(Customer.ToString(), await Hub.Query(db => db.Sagas.Where(r => r.CorrelationId == RequestId).Select(r => r.Data).SingleAsync()));

        if (store == TestStore.Sqlite)
        {
            // secure_delete: the deleted saga row is overwritten, not left in the file's free pages;
            // synchronous FULL (2): what was committed stays committed.
            Assert.Equal(1L, await Pragma("secure_delete"));
            Assert.Equal(2L, await Pragma("synchronous"));
        }
        else
        {
            // The dead versions of the erased rows are vacuumed away after the erasure's commit (the
            // statistics that show it are written a moment later); a commit waits for its WAL flush.
            await HubHarness.Eventually(async () => await Postgres("SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'Sagas' AND last_vacuum IS NOT NULL") is 1L,
                "the hub's tables vacuumed after the erasure");
            Assert.Equal("on", await Postgres("SHOW synchronous_commit"));
        }
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
        Assert.Equal(AuditKind.CaptureDroppedErasing, await Hub.Query(db => db.Audit.Where(a => a.MessageId == during.CaptureId).Select(a => a.Kind).SingleAsync()));
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

    [Fact]
    public async Task Should_give_the_request_a_status_from_the_moment_it_is_accepted()
    {
        await Hub.Publish(new ErasureRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });

        await Hub.RequestSettled(r => r is not null, RequestId, "request opened");
        var status = (await Hub.Status(RequestId))!;
        Assert.Equal("received", status.State);
        Assert.Equal(AllHolders, status.WaitingFor.Order());
        Assert.Equal(Customer, status.CustomerId);
    }

    [Fact]
    public async Task Should_answer_a_second_erasure_and_a_restriction_by_the_running_erasure()
    {
        await Hub.Publish(new ErasureRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        await Hub.Settled(s => s?.CurrentState == "Erasing", Customer, "erasing");
        var second = Guid.NewGuid();
        var restriction = Guid.NewGuid();

        await Hub.Publish(new ErasureRequested { RequestId = second, CustomerId = Customer, ReceivedBy = "PAG", ReceivedAt = HubHarness.Start.AddHours(1) });
        await Hub.Publish(new RestrictionRequested { RequestId = restriction, CustomerId = Customer, ReceivedBy = "PSM", ReceivedAt = HubHarness.Start.AddHours(1) });

        await Hub.RequestSettled(r => r?.CurrentState == "AnsweredByErasure", second, "second erasure follows the first");
        await Hub.RequestSettled(r => r?.CurrentState == "AnsweredByErasure", restriction, "restriction follows the erasure");
        Assert.Equal("received", (await Hub.Status(second))!.State);
        Assert.Empty(Hub.SentSoFar<EraseCustomerData>(c => c.RequestId == second));

        await AcknowledgeErasure();

        await Hub.Settled(s => s is null, Customer, "saga deleted");
        await Hub.RequestSettled(r => r?.CurrentState == "Done" && r.CustomerId is null, second, "second erasure done");
        await Hub.RequestSettled(r => r?.CurrentState == "Done" && r.CustomerId is null, restriction, "restriction done");
        Assert.Contains(RequestId.ToString(), (await Hub.Status(second))!.Note);
        Assert.Single(await Hub.Published<ErasureCompleted>(c => c.RequestId == second, 1));
        Assert.Single(await Hub.Published<RestrictionCompleted>(c => c.RequestId == restriction, 1));
        Assert.Equal("done", (await Hub.Status(RequestId))!.State);
    }

    [Fact]
    public async Task Should_complete_an_access_request_made_during_the_erasure_with_what_is_left()
    {
        await Hub.Publish(new ErasureRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        await Hub.Settled(s => s?.CurrentState == "Erasing", Customer, "erasing");
        var access = Guid.NewGuid();

        await Hub.Publish(new AccessRequested { RequestId = access, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start.AddHours(1) });

        var asked = await Hub.Sent<ProvideCustomerData>(c => c.RequestId == access, 6);
        Assert.Equal(AllHolders, asked.Select(c => c.Recipient).Order());
        foreach (var command in asked)
        {
            // Only PFSKG still holds something: what it keeps under its retention duty.
            var kept = command.Recipient == "PFSKG";
            await Hub.Publish(new CustomerDataProvided
            {
                CommandId = command.CommandId, RequestId = access, CustomerId = Customer, Company = command.Recipient,
                Records = kept ? [Scenario.Record(DataCategory.FinancingLeasingInsurance, new() { ["contract"] = "L-1" })] : [],
                Receipt = kept ? Scenario.Receipt(OutcomeKind.Provided, DataCategory.FinancingLeasingInsurance) : Scenario.Receipt(OutcomeKind.Provided),
            });
        }

        await Hub.RequestSettled(r => r?.CurrentState == "Done", access, "access request done");
        Assert.Equal("done", (await Hub.Status(access))!.State);
        Assert.Single(await Hub.Published<AccessRequestCompleted>(c => c.RequestId == access, 1));
    }

    [Fact]
    public async Task Should_answer_a_request_for_an_erased_customer_as_erased()
    {
        await EraseCompletely();
        var late = Guid.NewGuid();

        await Hub.Publish(new AccessRequested { RequestId = late, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start.AddDays(2) });

        await Hub.RequestSettled(r => r?.CurrentState == "Done", late, "answered as erased");
        var status = (await Hub.Status(late))!;
        Assert.Null(status.CustomerId);
        Assert.Contains("erased", status.Note);
        Assert.Empty(status.AnsweredBy);
        Assert.Null(await Hub.Customer(Customer));
    }

    private async Task AcknowledgeErasure()
    {
        foreach (var command in await Hub.Sent<EraseCustomerData>(c => c.RequestId == RequestId, 6))
        {
            await Hub.Publish(new CustomerDataErased
            {
                CommandId = command.CommandId, RequestId = RequestId, CustomerId = Customer, Company = command.Recipient,
                Receipt = Scenario.Receipt(OutcomeKind.Erased, [.. command.Categories]),
            });
        }
    }

    [Fact]
    public async Task Should_leave_none_of_the_customer_s_values_in_the_store_s_files_once_erased()
    {
        // A value the hub held only in the outbox rows of the copies it sent.
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        var capture = Scenario.WorkshopVisit(Customer);
        capture.Data[DataCategory.ContactIdentification]["email"] = marker;
        await Hub.Publish(capture);
        await Hub.Sent<DeliverCustomerData>(d => d.CaptureId == capture.CaptureId, 2);
        await HubHarness.Eventually(async () => !await Hub.Query(db => db.Outbox.AnyAsync()), "the copies' outbox rows sent and deleted");

        await EraseCompletely();

        // secure_delete cleared the database file's pages; the WAL file keeps earlier page images until
        // a checkpoint empties it, which the erasure asks for.
        await HubHarness.Eventually(() => Task.FromResult(!StoreFilesHold(marker)), "no trace of the erased value in hub.db or its WAL");
    }

    private bool StoreFilesHold(string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        return new[] { Hub.DatabasePath, Hub.DatabasePath + "-wal" }.Where(File.Exists).Any(path =>
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            file.CopyTo(copy);
            return copy.ToArray().AsSpan().IndexOf(bytes) >= 0;
        });
    }

    private Task<long> Pragma(string name) => Hub.Query(async db =>
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)(await command.ExecuteScalarAsync())!;
    });

    private Task<object?> Postgres(string sql) => Hub.Query(async db =>
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    });

    private async Task EraseCompletely()
    {
        await Hub.Publish(new ErasureRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        await AcknowledgeErasure();
        await Hub.Settled(s => s is null, Customer, "saga deleted");
    }

    private Task WaitForQuarantine(int count) =>
        HubHarness.Eventually(async () => await Hub.Query(db => db.Tombstones.SumAsync(t => t.QuarantinedMessages)) >= count, "quarantined");
}
