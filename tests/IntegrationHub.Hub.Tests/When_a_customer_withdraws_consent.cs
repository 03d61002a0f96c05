using IntegrationHub.Contracts;
using IntegrationHub.Hub.Customers;

namespace IntegrationHub.Hub.Tests;

public sealed class When_a_customer_withdraws_consent : FanOutSpecification
{
    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Should_send_withdrawal_to_every_holder_of_consent_based_data_and_complete_when_all_acknowledged(TestStore store)
    {
        await On(store);
        var withdrawal = new ConsentWithdrawn
        {
            ConsentId = RequestId, CustomerId = Customer, Channel = ConsentChannel.Phone, CapturedBy = "PD", WithdrawnAt = HubHarness.Start.AddDays(1),
        };

        await Hub.Publish(withdrawal);

        var commands = await Hub.Sent<DeleteConsentBasedData>(c => c.RequestId == RequestId, 5);
        Assert.Equal(["OP-NORD", "PAG", "PFS", "PFSKG", "PSM"], commands.Select(c => c.Recipient).Order());
        Assert.All(commands, c => Assert.Equal([DataCategory.InterestProfile], c.Categories));
        Assert.All(commands, c => Assert.Equal(HubHarness.Start.AddHours(72), c.AcknowledgeBy));
        Assert.False((await Hub.Customer(Customer))!.ConsentGiven);

        foreach (var command in commands)
        {
            await Hub.Publish(new ConsentBasedDataDeleted
            {
                CommandId = command.CommandId, RequestId = RequestId, CustomerId = Customer, Company = command.Recipient,
                Receipt = Scenario.Receipt(OutcomeKind.Erased, DataCategory.InterestProfile),
            });
        }

        var completed = Assert.Single(await Hub.Published<ConsentWithdrawalCompleted>(c => c.RequestId == RequestId, 1));
        Assert.Equal(5, completed.AcknowledgedBy.Count);
        await Hub.RequestSettled(r => r?.CompletedAt is not null, RequestId, "request completed");
        var notice = Assert.Single(await Hub.Sent<RequestStatusChanged>(n => n.RequestId == RequestId, 1));
        Assert.Equal(("PD", "done", "ConsentWithdrawal"), (notice.Recipient, notice.Status, notice.RequestKind));
        Assert.All((await Hub.Request(RequestId))!.Recipients, r => Assert.StartsWith("sha256:", r.Receipt!.Digest));
        await Hub.Settled(s => s!.Ledger.All(h => h.Category != DataCategory.InterestProfile), Customer, "holders released from the ledger");
        Assert.Contains((await Hub.Customer(Customer))!.Ledger, h => h.Category == DataCategory.ContactIdentification);
    }

    [Fact]
    public async Task Should_forward_no_consent_based_data_afterwards()
    {
        await Hub.Publish(new ConsentWithdrawn
        {
            ConsentId = RequestId, CustomerId = Customer, Channel = ConsentChannel.Web, CapturedBy = "PSM", WithdrawnAt = HubHarness.Start.AddDays(1),
        });
        await Hub.Settled(s => s?.ConsentGiven == false, Customer, "consent withdrawn");
        var later = Scenario.InterestProfile(Customer);

        await Hub.Publish(later);

        await Hub.Settled(s => s!.Version >= 6, Customer, "capture handled");
        Assert.Empty(Hub.SentSoFar<DeliverCustomerData>(d => d.CaptureId == later.CaptureId));
    }

    [Fact]
    public async Task Should_ignore_an_older_consent_that_arrives_after_the_withdrawal()
    {
        await Hub.Publish(new ConsentWithdrawn
        {
            ConsentId = RequestId, CustomerId = Customer, Channel = ConsentChannel.Web, CapturedBy = "PSM", WithdrawnAt = HubHarness.Start.AddDays(2),
        });
        await Hub.Settled(s => s?.ConsentGiven == false, Customer, "consent withdrawn");

        await Hub.Publish(Scenario.Consent(Customer) with { GivenAt = HubHarness.Start.AddDays(1) });

        await Hub.Settled(s => s!.Version >= 6, Customer, "late consent handled");
        Assert.False((await Hub.Customer(Customer))!.ConsentGiven);
    }
}
