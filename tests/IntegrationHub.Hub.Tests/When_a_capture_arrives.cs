using IntegrationHub.Hub.Audit;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Customers;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Tests;

public sealed class When_a_capture_arrives : IAsyncLifetime
{
    private HubHarness _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHarness.StartNew();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    // The test on this store instead (SQLite, where every test starts, needs nothing).
    private async Task On(TestStore store)
    {
        if (store != _hub.Store)
        {
            await _hub.DisposeAsync();
            _hub = await HubHarness.StartNew(store: store);
        }
    }

    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Should_send_each_company_with_need_its_minimised_copy_and_record_who_holds_what(TestStore store)
    {
        await On(store);
        var customer = Guid.NewGuid();
        var capture = Scenario.WorkshopVisit(customer);

        await _hub.Publish(capture);

        var deliveries = await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == capture.CaptureId, 2);
        Assert.Equal(["OP-NORD", "PAG"], deliveries.Select(d => d.Recipient).Order());
        Assert.All(deliveries, d => Assert.DoesNotContain(DataCategory.CreditBank, d.Data.Keys));
        Assert.Equal([DataCategory.ContactIdentification, DataCategory.VehicleHistory], deliveries.Single(d => d.Recipient == "PAG").Data.Keys.Order());

        await _hub.Settled(s => s?.Ledger.Count == 4, customer, "ledger of four entries");
        var state = (await _hub.Customer(customer))!;
        Assert.Equal("Active", state.CurrentState);
        Assert.Equal("PZ-HAMBURG", state.DealerId);
        Assert.Equal(["OP-NORD:ContactIdentification", "OP-NORD:VehicleHistory", "PAG:ContactIdentification", "PAG:VehicleHistory"],
            state.Ledger.Select(h => $"{h.Company}:{h.Category}").Order());
        Assert.Equal(4, await _hub.Query(db => db.Ledger.CountAsync(l => l.CustomerId == customer)));
    }

    [Fact]
    public async Task Should_audit_the_decision_with_ids_categories_and_reasons_but_no_values()
    {
        var customer = Guid.NewGuid();
        var capture = Scenario.WorkshopVisit(customer);

        await _hub.Publish(capture);
        await _hub.Settled(s => s is not null, customer, "customer created");

        var audit = await _hub.Query(db => db.Audit.Where(a => a.MessageId == capture.CaptureId).ToListAsync());
        Assert.All(audit, a => Assert.Equal(AuditKind.CaptureRouted, a.Kind));
        Assert.All(audit, a => Assert.Equal(customer, a.CustomerId));
        Assert.All(audit, a => Assert.False(string.IsNullOrEmpty(a.PolicyVersion)));
        Assert.Equal([DataCategory.ContactIdentification, DataCategory.VehicleHistory],
            audit.Where(a => a.Company == "PAG" && a.Reason == AuditReason.Delivered).Select(a => a.Category!.Value).Order());
        Assert.Contains(audit, a => a.Company == "PAG" && a.Category == DataCategory.CreditBank && a.Reason == AuditReason.NoOperationalNeed);
        Assert.All(audit, a => Assert.Null(a.Note));
    }

    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Should_route_the_same_capture_once_however_often_it_arrives(TestStore store)
    {
        await On(store);
        var customer = Guid.NewGuid();
        var capture = Scenario.WorkshopVisit(customer);

        await Task.WhenAll(_hub.Publish(capture), _hub.Publish(capture));
        await _hub.Publish(capture);
        await _hub.Settled(s => s is not null, customer, "customer created");

        // A later message of the same customer, handled after all three copies: the positive signal
        // that the duplicates have been seen too.
        var later = Scenario.WorkshopVisit(customer);
        await _hub.Publish(later);
        await _hub.Settled(s => s?.Version == 2, customer, "later capture handled");

        var deliveries = _hub.Bus.Sent.Select<DeliverCustomerData>().Where(d => d.Context.Message.CaptureId == capture.CaptureId).ToList();
        Assert.Equal(2, deliveries.Count);
        Assert.Equal(3, _hub.Bus.Consumed.Select<CustomerDataCaptured>(c => c.Context.Message.CaptureId == capture.CaptureId).Count());
        Assert.Equal(1, await _hub.Query(db => db.Inbox.CountAsync(m => m.Kind == nameof(CustomerDataCaptured))) - 1);
        Assert.Equal(4, (await _hub.Customer(customer))!.Ledger.Count);
    }

    [Fact]
    public async Task Should_send_consent_based_data_only_after_consent()
    {
        var customer = Guid.NewGuid();
        var before = Scenario.InterestProfile(customer);
        await _hub.Publish(before);
        await _hub.Settled(s => s is not null, customer, "customer created");
        await _hub.Publish(Scenario.Consent(customer));
        await _hub.Settled(s => s?.ConsentGiven == true, customer, "consent recorded");
        var after = Scenario.InterestProfile(customer);

        await _hub.Publish(after);

        var deliveries = await _hub.Sent<DeliverCustomerData>(d => d.CaptureId == after.CaptureId, 5);
        Assert.Equal(["OP-NORD", "PAG", "PFS", "PFSKG", "PSM"], deliveries.Select(d => d.Recipient).Order());
        Assert.DoesNotContain(_hub.Bus.Sent.Select<DeliverCustomerData>(), d => d.Context.Message.CaptureId == before.CaptureId);
        var consent = (await _hub.Customer(customer))!.Consent!;
        Assert.Equal(ConsentChannel.Dealer, consent.Channel);
        Assert.Equal("2026-03", consent.WordingVersion);
        Assert.Equal("OP-NORD", consent.CapturedBy);
    }
}
