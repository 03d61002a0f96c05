using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Tests;

/// <summary>Every message that may introduce a customer, and the state the customer starts in.</summary>
public sealed class When_a_customer_is_first_heard_of : IAsyncLifetime
{
    private HubHarness _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHarness.StartNew();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Theory]
    [InlineData("capture", "Active")]
    [InlineData("consent", "Active")]
    [InlineData("withdrawal", "Active")]
    [InlineData("objection", "Active")]
    [InlineData("direct marketing objection", "Active")]
    [InlineData("rectification", "Active")]
    [InlineData("lifting of a restriction", "Active")]
    [InlineData("restriction", "Active")]
    public async Task Should_start_in_the_state_the_message_implies(string first, string state)
    {
        var customer = Guid.NewGuid();
        var request = Guid.NewGuid();
        object message = first switch
        {
            "capture" => Scenario.WorkshopVisit(customer),
            "consent" => Scenario.Consent(customer),
            "withdrawal" => new ConsentWithdrawn { ConsentId = request, CustomerId = customer, Channel = ConsentChannel.Post, CapturedBy = "PD", WithdrawnAt = HubHarness.Start },
            "objection" => new ObjectionLodged { RequestId = request, CustomerId = customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start },
            "direct marketing objection" => new DirectMarketingObjectionLodged { RequestId = request, CustomerId = customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start },
            "rectification" => new RectificationRequested
            {
                RequestId = request, CustomerId = customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start,
                Corrections = new CategoryData { [DataCategory.ContactIdentification] = new() { ["familyName"] = "corrected" } },
            },
            "lifting of a restriction" => new RestrictionLiftRequested { RequestId = request, CustomerId = customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start },
            _ => new RestrictionRequested { RequestId = request, CustomerId = customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start },
        };

        await _hub.Bus.Bus.Publish(message, message.GetType());

        await _hub.Settled(s => s?.CurrentState == state, customer, $"customer in {state}");
        var saga = (await _hub.Customer(customer))!;
        Assert.Equal(1, saga.Version);

        // A request nobody holds data for is answered at once.
        if (saga.Requests.Count > 0)
        {
            await _hub.RequestSettled(r => r?.CompletedAt is not null, saga.Requests.Single(), "request answered at once");
        }
    }
}
