using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Tests;

public sealed class When_a_customer_objects : FanOutSpecification
{
    [Fact]
    public async Task Should_stop_needs_analysis_at_every_holder()
    {
        await Hub.Publish(new ObjectionLodged { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "OP-NORD", ReceivedAt = HubHarness.Start });

        var commands = await Hub.Sent<StopNeedsAnalysis>(c => c.RequestId == RequestId, 6);
        Assert.Equal(AllHolders, commands.Select(c => c.Recipient).Order());
        await AcknowledgeAll(commands.Select(c => (c.CommandId, c.Recipient)), (command, company) => new NeedsAnalysisStopped
        {
            CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = Scenario.Receipt(OutcomeKind.Unchanged),
        });
        Assert.Single(await Hub.Published<ObjectionCompleted>(c => c.RequestId == RequestId, 1));
        Assert.True((await Hub.Customer(Customer))!.ObjectedGenerally);
    }

    [Fact]
    public async Task Should_send_nothing_when_compelling_grounds_are_recorded()
    {
        await Hub.Publish(new ObjectionLodged
        {
            RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start, CompellingGrounds = "pending legal claim",
        });

        Assert.Single(await Hub.Published<ObjectionCompleted>(c => c.RequestId == RequestId, 1));
        Assert.Empty(Hub.SentSoFar<StopNeedsAnalysis>(c => c.RequestId == RequestId));
        Assert.Equal("pending legal claim", (await Hub.Customer(Customer))!.CompellingGrounds);
    }

    [Fact]
    public async Task Should_stop_direct_marketing_everywhere_and_block_it_from_then_on()
    {
        await Hub.Publish(new DirectMarketingObjectionLodged { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PSM", ReceivedAt = HubHarness.Start });

        var commands = await Hub.Sent<StopDirectMarketing>(c => c.RequestId == RequestId, 6);
        Assert.Equal(AllHolders, commands.Select(c => c.Recipient).Order());
        await AcknowledgeAll(commands.Select(c => (c.CommandId, c.Recipient)), (command, company) => new DirectMarketingStopped
        {
            CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = Scenario.Receipt(OutcomeKind.Unchanged),
        });
        Assert.Single(await Hub.Published<DirectMarketingObjectionCompleted>(c => c.RequestId == RequestId, 1));

        var offer = Scenario.Capture(Customer, "PD", CaptureContext.Events, Purpose.DirectMarketing, DataCategory.ContactIdentification);
        await Hub.Publish(offer);
        await Hub.Settled(s => s!.Version >= 6, Customer, "offer handled");
        Assert.Empty(Hub.SentSoFar<DeliverCustomerData>(d => d.CaptureId == offer.CaptureId));
    }

    private async Task AcknowledgeAll<T>(IEnumerable<(Guid CommandId, string Company)> commands, Func<Guid, string, T> acknowledgement) where T : class
    {
        foreach (var (command, company) in commands)
        {
            await Hub.Publish(acknowledgement(command, company));
        }
    }
}
