using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Tests;

/// <summary>
/// What docs/amqp-interface.md ("dealerId on a capture") promises a company system: the dealer copy
/// goes to the operator of the customer's Zentrum, which is the last one a capture named.
/// </summary>
public sealed class When_captures_name_a_porsche_zentrum : IAsyncLifetime
{
    private HubHarness _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHarness.StartNew();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Should_send_the_dealer_copy_of_another_operator_s_zentrum_to_that_operator()
    {
        var customer = Guid.NewGuid();
        var capture = Scenario.Capture(customer, "OP-SUED", CaptureContext.Workshop, Purpose.JointCare, DataCategory.ContactIdentification);

        await _hub.Publish(capture);

        var deliveries = await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == capture.CaptureId, 3);
        Assert.Equal(["OP-NORD", "PAG", "PD"], deliveries.Select(d => d.Recipient).Order());
        Assert.All(deliveries, d => Assert.Equal("PZ-HAMBURG", d.DealerId));
    }

    [Fact]
    public async Task Should_follow_the_last_zentrum_named_and_leave_the_earlier_operator_s_copies_in_the_ledger()
    {
        var customer = Guid.NewGuid();
        var hamburg = Scenario.Capture(customer, "PD", CaptureContext.Workshop, Purpose.JointCare, DataCategory.ContactIdentification);
        var munich = hamburg with { CaptureId = Guid.NewGuid(), DealerId = "PZ-MUENCHEN" };
        var unnamed = hamburg with { CaptureId = Guid.NewGuid(), DealerId = null };

        await _hub.Publish(hamburg);
        Assert.Equal("OP-NORD", (await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == hamburg.CaptureId && d.Recipient.StartsWith("OP-"), 1)).Single().Recipient);
        await _hub.Publish(munich);
        Assert.Equal("OP-SUED", (await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == munich.CaptureId && d.Recipient.StartsWith("OP-"), 1)).Single().Recipient);
        await _hub.Publish(unnamed);

        var last = Assert.Single(await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == unnamed.CaptureId && d.Recipient.StartsWith("OP-"), 1));
        Assert.Equal(("OP-SUED", "PZ-MUENCHEN"), (last.Recipient, last.DealerId));
        var state = (await _hub.Customer(customer))!;
        Assert.Equal("PZ-MUENCHEN", state.DealerId);
        Assert.Contains(state.Ledger, h => h.Company == "OP-NORD");
    }
}
