using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Tests;

public sealed class When_deadlines_pass : FanOutSpecification
{
    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Should_escalate_each_silent_company_after_its_acknowledgement_deadline(TestStore store)
    {
        await On(store);
        await Hub.Publish(new ErasureRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        var commands = await Hub.Sent<EraseCustomerData>(c => c.RequestId == RequestId, 6);
        foreach (var command in commands.Where(c => c.Recipient != "PSM"))
        {
            await Hub.Publish(new CustomerDataErased
            {
                CommandId = command.CommandId, RequestId = RequestId, CustomerId = Customer, Company = command.Recipient,
                Receipt = Scenario.Receipt(OutcomeKind.Erased, [.. command.Categories]),
            });
        }

        await Hub.RequestSettled(r => r!.Waiting.Count() == 1, RequestId, "only PSM silent");

        await Hub.Advance(TimeSpan.FromHours(71));
        Assert.Empty(Hub.Bus.Published.Select<AcknowledgementOverdue>());

        await Hub.Advance(TimeSpan.FromHours(2));
        var overdue = Assert.Single(await Hub.Published<AcknowledgementOverdue>(o => o.RequestId == RequestId, 1));
        Assert.Equal("PSM", overdue.Company);
        Assert.Equal("Erasure", overdue.RequestKind);
        await Hub.RequestSettled(r => r!.Recipients.Single(x => x.Company == "PSM").OverdueSince is not null, RequestId, "PSM marked overdue");

        // The escalation stays visible and is not repeated: the next sweep's reminders change nothing.
        await Hub.Advance(TimeSpan.FromHours(1));
        Assert.Single(Hub.Bus.Published.Select<AcknowledgementOverdue>());
        Assert.Equal("Erasing", (await Hub.Customer(Customer))!.CurrentState);
    }

    [Fact]
    public async Task Should_escalate_the_request_when_its_legal_month_passes()
    {
        await Hub.Publish(new RestrictionRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        await Hub.Sent<RestrictProcessing>(c => c.RequestId == RequestId, 6);
        await Hub.RequestSettled(r => r is not null, RequestId, "request open");

        // The hosted sweeper, on its own timer, notices the moved time.
        Hub.Clock.Advance(HubHarness.Start.AddMonths(1) - HubHarness.Start + TimeSpan.FromMinutes(1));

        var overdue = Assert.Single(await Hub.Published<RequestOverdue>(o => o.RequestId == RequestId, 1));
        Assert.Equal(HubHarness.Start.AddMonths(1), overdue.DueAt);
        Assert.Equal(AllHolders, overdue.WaitingFor.Order());
        Assert.Equal(6, (await Hub.Published<AcknowledgementOverdue>(o => o.RequestId == RequestId, 6)).Count);
        await Hub.RequestSettled(r => r!.OverdueSince is not null, RequestId, "request marked overdue");
        var notice = Assert.Single(await Hub.Sent<RequestStatusChanged>(n => n.RequestId == RequestId, 1));
        Assert.Equal(("PD", "overdue"), (notice.Recipient, notice.Status));
        Assert.Equal(AllHolders, notice.WaitingFor.Order());
    }

    [Fact]
    public async Task Should_move_the_legal_deadline_by_two_months_with_a_recorded_reason()
    {
        await Hub.Publish(new RestrictionRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        await Hub.RequestSettled(r => r is not null, RequestId, "request open");

        await Hub.Publish(new ExtendRequestDeadline { ExtensionId = Guid.NewGuid(), RequestId = RequestId, CustomerId = Customer, DecidedBy = "PD", Reason = "number of requests" });

        var extended = Assert.Single(await Hub.Published<RequestDeadlineExtended>(e => e.RequestId == RequestId, 1));
        Assert.Equal(HubHarness.Start.AddMonths(3), extended.DueAt);
        await Hub.RequestSettled(r => r!.ExtensionReason == "number of requests", RequestId, "extension recorded");

        await Hub.Advance(TimeSpan.FromDays(40));
        Assert.Equal(6, (await Hub.Published<AcknowledgementOverdue>(o => o.RequestId == RequestId, 6)).Count);
        Assert.Empty(Hub.Bus.Published.Select<RequestOverdue>());
    }
}
