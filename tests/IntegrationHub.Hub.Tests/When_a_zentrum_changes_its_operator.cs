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
        await WaitFor(db => db.DealerAssignments.AnyAsync(a => a.TakeoverId == takeover));

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
        Assert.Equal("PZ-HAMBURG:OP-NORD->OP-SUED", await _hub.Query(db => db.Audit.Where(a => a.MessageId == takeover).Select(a => a.Recipients).SingleAsync()));
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

    private async Task WaitFor(Func<Persistence.HubDbContext, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await _hub.Query(condition))
        {
            Assert.True(DateTime.UtcNow < deadline, "not within 20 s");
            await Task.Delay(20);
        }
    }
}
