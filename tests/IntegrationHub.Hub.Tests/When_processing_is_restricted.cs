using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Tests;

public sealed class When_processing_is_restricted : FanOutSpecification
{
    [Fact]
    public async Task Should_restrict_at_every_holder_forward_nothing_new_and_lift_it_again()
    {
        await Hub.Publish(new RestrictionRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });

        var restrict = await Hub.Sent<RestrictProcessing>(c => c.RequestId == RequestId, 6);
        Assert.Equal(AllHolders, restrict.Select(c => c.Recipient).Order());
        await Hub.Settled(s => s?.Restricted == true, Customer, "restricted");
        foreach (var command in restrict)
        {
            await Hub.Publish(new ProcessingRestricted
            {
                CommandId = command.CommandId, RequestId = RequestId, CustomerId = Customer, Company = command.Recipient,
                Receipt = Scenario.Receipt(OutcomeKind.Restricted, [.. command.Categories]),
            });
        }

        Assert.Single(await Hub.Published<RestrictionCompleted>(c => c.RequestId == RequestId, 1));
        var whileRestricted = Scenario.WorkshopVisit(Customer);
        await Hub.Publish(whileRestricted);
        await Hub.Settled(s => s!.Version >= 6, Customer, "capture handled");
        Assert.Empty(Hub.SentSoFar<DeliverCustomerData>(d => d.CaptureId == whileRestricted.CaptureId));

        var lift = Guid.NewGuid();
        await Hub.Publish(new RestrictionLiftRequested { RequestId = lift, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start.AddDays(3) });

        var lifts = await Hub.Sent<LiftRestriction>(c => c.RequestId == lift, 6);
        Assert.Equal(AllHolders, lifts.Select(c => c.Recipient).Order());
        await Hub.Settled(s => s?.CurrentState == "Active" && !s.Restricted, Customer, "active again");
        foreach (var command in lifts)
        {
            await Hub.Publish(new RestrictionLifted
            {
                CommandId = command.CommandId, RequestId = lift, CustomerId = Customer, Company = command.Recipient,
                Receipt = Scenario.Receipt(OutcomeKind.Unrestricted, [.. command.Categories]),
            });
        }

        Assert.Single(await Hub.Published<RestrictionLiftCompleted>(c => c.RequestId == lift, 1));
        var afterwards = Scenario.WorkshopVisit(Customer);
        await Hub.Publish(afterwards);
        Assert.Equal(2, (await Hub.Sent<DeliverCustomerData>(d => d.CaptureId == afterwards.CaptureId, 2)).Count);
    }
}
