using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Tests;

public sealed class When_deadlines_pass : FanOutSpecification
{
    [Fact]
    public async Task Should_escalate_each_silent_company_after_its_acknowledgement_deadline()
    {
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

        await Hub.Settled(s => s!.FanOuts.Single().Waiting.Count() == 1, Customer, "only PSM silent");

        await Hub.Advance(TimeSpan.FromHours(71));
        await Task.Delay(300);
        Assert.Empty(Hub.Bus.Published.Select<AcknowledgementOverdue>());

        await Hub.Advance(TimeSpan.FromHours(2));
        var overdue = Assert.Single(await Hub.Published<AcknowledgementOverdue>(o => o.RequestId == RequestId, 1));
        Assert.Equal("PSM", overdue.Company);
        Assert.Equal("Erasure", overdue.RequestKind);
        await Hub.Settled(s => s!.FanOuts.Single().Recipients.Single(r => r.Company == "PSM").OverdueSince is not null, Customer, "PSM marked overdue");

        // The escalation stays visible and is not repeated.
        await Hub.Advance(TimeSpan.FromHours(1));
        await Task.Delay(300);
        Assert.Single(Hub.Bus.Published.Select<AcknowledgementOverdue>());
        Assert.Equal("Erasing", (await Hub.Customer(Customer))!.CurrentState);
    }

    [Fact]
    public async Task Should_escalate_the_request_when_its_legal_month_passes()
    {
        await Hub.Publish(new RestrictionRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        await Hub.Sent<RestrictProcessing>(c => c.RequestId == RequestId, 6);
        await Hub.Settled(s => s?.FanOuts.Count == 1, Customer, "fan-out open");

        // The hosted sweeper, on its own timer, notices the moved time.
        Hub.Clock.Advance(HubHarness.Start.AddMonths(1) - HubHarness.Start + TimeSpan.FromMinutes(1));

        var overdue = Assert.Single(await Hub.Published<RequestOverdue>(o => o.RequestId == RequestId, 1));
        Assert.Equal(HubHarness.Start.AddMonths(1), overdue.DueAt);
        Assert.Equal(AllHolders, overdue.WaitingFor.Order());
        Assert.Equal(6, (await Hub.Published<AcknowledgementOverdue>(o => o.RequestId == RequestId, 6)).Count);
        await Hub.Settled(s => s!.FanOuts.Single().OverdueSince is not null, Customer, "request marked overdue");
    }

    [Fact]
    public async Task Should_move_the_legal_deadline_by_two_months_with_a_recorded_reason()
    {
        await Hub.Publish(new RestrictionRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        await Hub.Settled(s => s?.FanOuts.Count == 1, Customer, "fan-out open");

        await Hub.Publish(new ExtendRequestDeadline { ExtensionId = Guid.NewGuid(), RequestId = RequestId, CustomerId = Customer, DecidedBy = "PD", Reason = "number of requests" });

        var extended = Assert.Single(await Hub.Published<RequestDeadlineExtended>(e => e.RequestId == RequestId, 1));
        Assert.Equal(HubHarness.Start.AddMonths(3), extended.DueAt);
        await Hub.Settled(s => s!.FanOuts.Single().ExtensionReason == "number of requests", Customer, "extension recorded");

        await Hub.Advance(TimeSpan.FromDays(40));
        await Hub.Published<AcknowledgementOverdue>(o => o.RequestId == RequestId, 6);
        await Task.Delay(300);
        Assert.Empty(Hub.Bus.Published.Select<RequestOverdue>());
    }
}
