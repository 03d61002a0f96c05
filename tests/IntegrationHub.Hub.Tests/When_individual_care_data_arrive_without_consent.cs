using IntegrationHub.Contracts;
using IntegrationHub.Hub.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests;

public sealed class When_individual_care_data_arrive_without_consent : IAsyncLifetime
{
    private HubHarness _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHarness.StartNew();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Should_forward_nothing_and_let_out_only_groups_of_at_least_ten_customers()
    {
        var many = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();
        var few = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var captures = many.Select(c => Scenario.Capture(c, "PD", CaptureContext.Events, Purpose.IndividualCare, DataCategory.InterestProfile, DataCategory.EmailEngagement))
            .Concat(few.Select(c => Scenario.Capture(c, "PSM", CaptureContext.MyPorscheConnect, Purpose.IndividualCare, DataCategory.EmailEngagement)))
            .ToList();

        foreach (var capture in captures)
        {
            await _hub.Publish(capture);
        }

        foreach (var customer in many.Concat(few))
        {
            await _hub.Settled(s => s is not null, customer, "capture handled");
        }

        Assert.Empty(_hub.SentSoFar<DeliverCustomerData>(_ => true));
        await using var scope = _hub.Services.CreateAsyncScope();
        var day = DateOnly.FromDateTime(HubHarness.Start.UtcDateTime);
        var statistics = await scope.ServiceProvider.GetRequiredService<RequestDesk>().Aggregates(day, day);

        Assert.Equal(
            ["Events:InterestProfile:12", "Events:EmailEngagement:12"],
            statistics.Groups.Select(g => $"{g.Context}:{g.Category}:{g.Customers}"));
        Assert.Equal(1, statistics.GroupsWithheld);
        Assert.Equal(10, statistics.MinimumGroup);
    }
}
