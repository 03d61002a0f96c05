using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Contracts;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Tests;

public sealed class When_a_zentrum_changes_its_operator : IAsyncLifetime
{
    private HubHarness _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHarness.StartNew();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Should_route_the_dealer_copies_to_the_new_operator_from_the_announced_time_and_keep_the_customer_s_choices()
    {
        var customer = Guid.NewGuid();
        await _hub.Publish(Scenario.Consent(customer));
        await _hub.Settled(s => s?.ConsentGiven == true, customer, "consent recorded");
        await _hub.Publish(new DirectMarketingObjectionLodged { RequestId = Guid.NewGuid(), CustomerId = customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        var before = Scenario.WorkshopVisit(customer);
        await _hub.Publish(before);
        Assert.Contains("OP-NORD", (await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == before.CaptureId, 2)).Select(d => d.Recipient));

        var takeover = Guid.NewGuid();
        await _hub.Publish(new DealerOperatorChangeAnnounced
        {
            TakeoverId = takeover, DealerId = "PZ-HAMBURG", FromOperator = "OP-NORD", ToOperator = "OP-SUED",
            EffectiveAt = HubHarness.Start.AddHours(1), AnnouncedBy = "PD",
        });
        await HubHarness.Eventually(() => _hub.Query(db => db.DealerAssignments.AnyAsync(a => a.TakeoverId == takeover)), "announcement recorded");

        // Announced, not yet in effect: still the old operator.
        var announced = Scenario.WorkshopVisit(customer);
        await _hub.Publish(announced);
        Assert.Contains("OP-NORD", (await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == announced.CaptureId, 2)).Select(d => d.Recipient));

        _hub.Clock.Advance(TimeSpan.FromHours(1));
        var after = Scenario.WorkshopVisit(customer);
        await _hub.Publish(after);

        var copies = await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == after.CaptureId, 2);
        Assert.Equal(["OP-SUED", "PAG"], copies.Select(d => d.Recipient).Order());
        var state = (await _hub.Customer(customer))!;
        Assert.True(state.ConsentGiven);
        Assert.True(state.ObjectedToDirectMarketing);
        Assert.Equal("PZ-HAMBURG", state.DealerId);
        var change = await _hub.Query(db => db.Audit.SingleAsync(a => a.MessageId == takeover && a.Kind == AuditKind.DealerOperatorChange));
        Assert.Equal(("PD", "OP-SUED"), (change.Actor, change.Company));
        Assert.StartsWith("PZ-HAMBURG: OP-NORD -> OP-SUED", change.Note);
    }

    [Fact]
    public async Task Should_hand_each_customer_s_records_to_the_new_operator_then_erase_them_at_the_old_one()
    {
        Guid[] customers = [Guid.NewGuid(), Guid.NewGuid()];
        foreach (var customer in customers)
        {
            await _hub.Publish(Scenario.WorkshopVisit(customer));
            await _hub.Settled(s => s?.Ledger.Any(h => h.Company == "OP-NORD") == true, customer, "OP-NORD holds data");
        }

        var elsewhere = Guid.NewGuid();
        await _hub.Publish(Scenario.WorkshopVisit(elsewhere) with { DealerId = "PZ-MUENCHEN" });
        await _hub.Settled(s => s is not null, elsewhere, "customer of another Zentrum");

        var takeover = Guid.NewGuid();
        await _hub.Publish(new DealerOperatorChangeAnnounced
        {
            TakeoverId = takeover, DealerId = "PZ-HAMBURG", FromOperator = "OP-NORD", ToOperator = "OP-SUED", EffectiveAt = HubHarness.Start, AnnouncedBy = "PD",
        });

        var handOvers = await _hub.Sent<HandOverDealerRecords>(h => h.TakeoverId == takeover, 2);
        Assert.Equal(customers.Order(), handOvers.Select(h => h.CustomerId).Order());
        Assert.All(handOvers, h => Assert.Equal("OP-NORD", h.Recipient));
        foreach (var handOver in handOvers)
        {
            await _hub.Publish(new DealerRecordsHandedOver
            {
                CommandId = handOver.CommandId, TakeoverId = takeover, CustomerId = handOver.CustomerId, Company = "OP-NORD",
                Records =
                [
                    Scenario.Record(DataCategory.ContactIdentification, new() { ["familyName"] = "Beispiel" }),
                    Scenario.Record(DataCategory.VehicleHistory, new() { ["service"] = "oil" }),
                    Scenario.Record(DataCategory.VehicleHistory, new() { ["service"] = "brakes" }),
                    Scenario.Record(DataCategory.CreditBank, new() { ["iban"] = "should never reach a dealer" }),
                ],
            });
        }

        var passedOn = await _hub.Sent<TakeOverDealerRecords>(t => t.TakeoverId == takeover, 2);
        Assert.All(passedOn, t => Assert.Equal("OP-SUED", t.Recipient));
        Assert.All(passedOn, t => Assert.Equal([DataCategory.ContactIdentification, DataCategory.VehicleHistory, DataCategory.VehicleHistory], t.Records.Select(r => r.Category).Order()));
        var erasures = await _hub.Sent<EraseCustomerData>(e => e.Reason == ErasureReason.OperatorChange, 2);
        Assert.All(erasures, e => Assert.Equal(("OP-NORD", "PZ-HAMBURG"), (e.Recipient, e.DealerId)));
        Assert.Empty(_hub.Bus.Published.Select<DealerOperatorChangeCompleted>());

        foreach (var erasure in erasures)
        {
            await _hub.Publish(new CustomerDataErased
            {
                CommandId = erasure.CommandId, RequestId = erasure.RequestId, CustomerId = erasure.CustomerId, Company = "OP-NORD",
                Receipt = Scenario.Receipt(OutcomeKind.Erased, [.. erasure.Categories]),
            });
        }

        var completed = Assert.Single(await _hub.Published<DealerOperatorChangeCompleted>(c => c.TakeoverId == takeover, 1));
        Assert.Equal(2, completed.CustomersTransferred);
        foreach (var customer in customers)
        {
            var state = (await _hub.Customer(customer))!;
            Assert.DoesNotContain(state.Ledger, h => h.Company == "OP-NORD");
            Assert.Equal(["ContactIdentification", "VehicleHistory"], state.Ledger.Where(h => h.Company == "OP-SUED").Select(h => h.Category.ToString()).Order());
        }

        Assert.Empty(_hub.SentSoFar<HandOverDealerRecords>(h => h.CustomerId == elsewhere));
        // Every step is in the audit trail: the start, each customer's hand-over and passing on, the end.
        var steps = await _hub.Query(db => db.Audit.Where(a => a.MessageId == takeover).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([AuditKind.DealerOperatorChange, AuditKind.TakeoverStarted], steps.Take(2).Select(s => s.Kind));
        Assert.Equal(AuditKind.TakeoverCompleted, steps.Last().Kind);
        Assert.Equal(2, steps.Where(s => s.Kind == AuditKind.HandOverRequested).Select(s => s.CustomerId).Distinct().Count());
        Assert.Equal(4, steps.Count(s => s.Kind == AuditKind.HandOverPassedOn && s.Reason == AuditReason.Delivered));
        Assert.Equal(2, steps.Count(s => s.Kind == AuditKind.HandOverPassedOn && s.Category == DataCategory.CreditBank && s.Reason == AuditReason.NoOperationalNeed));
        Assert.Equal(2, (await _hub.Takeover(takeover))!.Done);
    }

    [Fact]
    public async Task Should_count_a_customer_being_erased_as_done_so_the_takeover_completes()
    {
        var erasing = Guid.NewGuid();
        var other = Guid.NewGuid();
        foreach (var customer in new[] { erasing, other })
        {
            await _hub.Publish(Scenario.WorkshopVisit(customer));
            await _hub.Settled(s => s?.Ledger.Any(h => h.Company == "OP-NORD") == true, customer, "OP-NORD holds data");
        }

        var erasure = Guid.NewGuid();
        await _hub.Publish(new ErasureRequested { RequestId = erasure, CustomerId = erasing, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        await _hub.Settled(s => s?.CurrentState == "Erasing", erasing, "erasing");

        var takeover = Guid.NewGuid();
        await _hub.Publish(new DealerOperatorChangeAnnounced
        {
            TakeoverId = takeover, DealerId = "PZ-HAMBURG", FromOperator = "OP-NORD", ToOperator = "OP-SUED", EffectiveAt = HubHarness.Start, AnnouncedBy = "PD",
        });

        var handOver = Assert.Single(await _hub.Sent<HandOverDealerRecords>(h => h.TakeoverId == takeover, 1));
        Assert.Equal(other, handOver.CustomerId);
        await _hub.Publish(new DealerRecordsHandedOver
        {
            CommandId = handOver.CommandId, TakeoverId = takeover, CustomerId = other, Company = "OP-NORD",
            Records = [Scenario.Record(DataCategory.VehicleHistory, new() { ["service"] = "oil" })],
        });
        var erase = Assert.Single(await _hub.Sent<EraseCustomerData>(e => e.Reason == ErasureReason.OperatorChange, 1));
        await _hub.Publish(new CustomerDataErased
        {
            CommandId = erase.CommandId, RequestId = erase.RequestId, CustomerId = other, Company = "OP-NORD", Receipt = Scenario.Receipt(OutcomeKind.Erased, [.. erase.Categories]),
        });

        var completed = Assert.Single(await _hub.Published<DealerOperatorChangeCompleted>(c => c.TakeoverId == takeover, 1));
        Assert.Equal(2, completed.CustomersTransferred);
        var outcomes = await _hub.Query(db => db.TakeoverCustomers.Where(c => c.TakeoverId == takeover).ToDictionaryAsync(c => c.CustomerId, c => c.Outcome));
        Assert.Equal(HandOverOutcome.Erased, outcomes[erasing]);
        Assert.Equal(HandOverOutcome.HandedOver, outcomes[other]);
    }

    [Fact]
    public async Task Should_answer_a_hand_over_order_for_a_customer_erased_after_the_snapshot()
    {
        var customer = Guid.NewGuid();
        var erasure = Guid.NewGuid();
        await _hub.Publish(new ErasureRequested { RequestId = erasure, CustomerId = customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        await HubHarness.Eventually(() => _hub.Query(db => db.Tombstones.AnyAsync(t => t.ErasureRequestId == erasure)), "tombstone");
        var takeover = Guid.NewGuid();

        // The order a takeover sent before the erasure completed arrives after it.
        await _hub.Publish(new HandOverCustomer { TakeoverId = takeover, CustomerId = customer, DealerId = "PZ-HAMBURG", FromOperator = "OP-NORD", ToOperator = "OP-SUED" });

        var answer = Assert.Single(await _hub.Sent<CustomerHandedOver>(h => h.TakeoverId == takeover, 1));
        Assert.Equal(HandOverOutcome.Erased, answer.Outcome);
        Assert.Null(await _hub.Customer(customer));
    }

    [Fact]
    public async Task Should_start_a_takeover_once_however_many_notice_that_its_time_has_come()
    {
        var customer = Guid.NewGuid();
        await _hub.Publish(Scenario.WorkshopVisit(customer));
        await _hub.Settled(s => s?.Ledger.Any(h => h.Company == "OP-NORD") == true, customer, "OP-NORD holds data");
        var takeover = Guid.NewGuid();
        await _hub.Publish(new DealerOperatorChangeAnnounced
        {
            TakeoverId = takeover, DealerId = "PZ-HAMBURG", FromOperator = "OP-NORD", ToOperator = "OP-SUED",
            EffectiveAt = HubHarness.Start.AddHours(1), AnnouncedBy = "PD",
        });
        await HubHarness.Eventually(() => _hub.Query(db => db.DealerAssignments.AnyAsync(a => a.TakeoverId == takeover)), "announcement recorded");

        // The sweeper notices, and so does a second hub at the same moment.
        await _hub.Publish(new StartTakeover { NoticeId = Guid.NewGuid(), TakeoverId = takeover });
        await _hub.Advance(TimeSpan.FromHours(2));
        var late = Guid.NewGuid();
        await _hub.Publish(new StartTakeover { NoticeId = late, TakeoverId = takeover });
        Assert.True(await _hub.Bus.Consumed.Any<StartTakeover>(c => c.Context.Message.NoticeId == late));

        Assert.Single(await _hub.Sent<HandOverDealerRecords>(h => h.TakeoverId == takeover, 1));
        Assert.Equal(1, await _hub.Query(db => db.Audit.CountAsync(a => a.MessageId == takeover && a.Kind == AuditKind.TakeoverStarted)));
        Assert.Equal(1, (await _hub.Takeover(takeover))!.Customers);
    }

    [Theory]
    [InlineData("PAG", "OP-NORD", "OP-SUED", "only PD, which runs the dealer network, announces operator changes")]
    [InlineData("PD", "OP-SUED", "OP-NORD", "PZ-HAMBURG is run by OP-NORD at that time, not by fromOperator OP-SUED")]
    [InlineData("PD", "OP-NORD", "PFS", "toOperator is not another dealer operator company")]
    public async Task Should_refuse_an_announcement_that_does_not_fit(string announcedBy, string from, string to, string reason)
    {
        await _hub.Publish(new DealerOperatorChangeAnnounced
        {
            TakeoverId = Guid.NewGuid(), DealerId = "PZ-HAMBURG", FromOperator = from, ToOperator = to, EffectiveAt = HubHarness.Start, AnnouncedBy = announcedBy,
        });

        Assert.True(await _hub.Bus.Published.Any<Fault<DealerOperatorChangeAnnounced>>(f => f.Context.Message.Exceptions.Any(e => e.Message.Contains(reason))));
        Assert.False(await _hub.Query(db => db.DealerAssignments.AnyAsync()));
    }
}
