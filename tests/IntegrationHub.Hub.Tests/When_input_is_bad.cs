using IntegrationHub.Contracts;
using MassTransit;
using MassTransit.Testing;

namespace IntegrationHub.Hub.Tests;

public sealed class When_input_is_bad : IAsyncLifetime
{
    private HubHarness _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHarness.StartNew();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Theory]
    [InlineData("no customer id", "customerId is missing")]
    [InlineData("unknown company", "sourceCompany is not a known company")]
    [InlineData("unknown Zentrum", "dealerId is not a known Porsche Zentrum")]
    [InlineData("contract kind missing", "contractKind is required when context is VehicleContract")]
    [InlineData("no data", "data holds no category")]
    public async Task Should_refuse_the_capture_whole_with_a_fault_and_keep_routing_others(string problem, string reason)
    {
        var customer = Guid.NewGuid();
        var capture = Scenario.WorkshopVisit(customer);
        capture = problem switch
        {
            "no customer id" => capture with { CustomerId = Guid.Empty },
            "unknown company" => capture with { SourceCompany = "BMW" },
            "unknown Zentrum" => capture with { DealerId = "PZ-ATLANTIS" },
            "contract kind missing" => capture with { Context = CaptureContext.VehicleContract, ContractKind = null },
            _ => capture with { Data = new CategoryData() },
        };

        await _hub.Publish(capture);

        // A refusal publishes MassTransit's ReceiveFault: the reason and the message type, not the message itself.
        Assert.True(await _hub.Bus.Published.Any<ReceiveFault>(f => f.Context.Message.Exceptions.Any(e => e.Message.Contains(reason))));
        var fault = _hub.Bus.Published.Select<ReceiveFault>().First(f => f.Context.Message.Exceptions.Any(e => e.Message.Contains(reason))).Context.Message;
        Assert.Equal(typeof(Platform.InvalidMessageException).FullName, fault.Exceptions.Single().ExceptionType);
        Assert.DoesNotContain("value", fault.Exceptions.Single().Message);
        Assert.Null(await _hub.Customer(customer));
        Assert.Empty(_hub.SentSoFar<DeliverCustomerData>(d => d.CaptureId == capture.CaptureId));

        var good = Scenario.WorkshopVisit(Guid.NewGuid());
        await _hub.Publish(good);
        Assert.Equal(2, (await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == good.CaptureId, 2)).Count);
    }

    [Fact]
    public async Task Should_refuse_a_request_received_by_an_unknown_company()
    {
        var request = new ErasureRequested { RequestId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), ReceivedBy = "ACME", ReceivedAt = HubHarness.Start };

        await _hub.Publish(request);

        Assert.True(await _hub.Bus.Published.Any<ReceiveFault>(f => f.Context.Message.Exceptions.Any(e => e.Message == "erasure refused: receivedBy is not a known company")));
        Assert.Null(await _hub.Customer(request.CustomerId));
        Assert.Empty(_hub.Bus.Published.Select<ErasureCompleted>());
    }

    [Fact]
    public async Task Should_refuse_a_capture_id_used_before_for_another_capture_and_route_a_true_repeat_once()
    {
        var customer = Guid.NewGuid();
        var capture = Scenario.WorkshopVisit(customer);
        await _hub.Publish(capture);
        await _hub.Settled(s => s?.Version == 1, customer, "first capture routed");
        var reused = capture with { Data = new CategoryData { [DataCategory.Voluntary] = new() { ["note"] = "another capture" } } };

        await _hub.Publish(reused);
        await _hub.Publish(capture);

        Assert.True(await _hub.Bus.Published.Any<ReceiveFault>(f => f.Context.Message.Exceptions.Any(e => e.Message.Contains("its id was used before for a different message"))));
        var later = Scenario.WorkshopVisit(customer);
        await _hub.Publish(later);
        await _hub.Settled(s => s?.Version == 2, customer, "the later capture routed, the reused and repeated ones not");
        Assert.Single(_hub.Bus.Published.Select<ReceiveFault>());
        Assert.Equal(2, _hub.SentSoFar<DeliverCustomerData>(d => d.CaptureId == capture.CaptureId).Count);
    }

    [Fact]
    public async Task Should_refuse_a_body_above_the_size_limit_before_reading_it()
    {
        var customer = Guid.NewGuid();
        var capture = Scenario.WorkshopVisit(customer) with
        {
            Data = new CategoryData { [DataCategory.Voluntary] = new() { ["note"] = new string('x', Platform.WireConventions.MaxMessageBytes) } },
        };

        await _hub.Publish(capture);

        Assert.True(await _hub.Bus.Published.Any<ReceiveFault>(f => f.Context.Message.Exceptions.Any(e => e.Message.Contains("bytes a message may have"))));
        var good = Scenario.WorkshopVisit(Guid.NewGuid());
        await _hub.Publish(good);
        Assert.Equal(2, (await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == good.CaptureId, 2)).Count);
        Assert.Null(await _hub.Customer(customer));
    }
}
