using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Tests;

public sealed class When_data_is_rectified : FanOutSpecification
{
    [Fact]
    public async Task Should_send_each_holder_the_corrections_of_the_categories_it_holds()
    {
        var corrections = new CategoryData
        {
            [DataCategory.ContactIdentification] = new() { ["familyName"] = "Beispiel-Neu" },
            [DataCategory.FinancingLeasingInsurance] = new() { ["iban"] = "corrected" },
        };

        await Hub.Publish(new RectificationRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start, Corrections = corrections });

        // Contact data: OP-NORD, PAG, PD and PFSKG (leasing). Financing data: only PFSKG.
        var commands = await Hub.Sent<RectifyCustomerData>(c => c.RequestId == RequestId, 4);
        Assert.Equal(["OP-NORD", "PAG", "PD", "PFSKG"], commands.Select(c => c.Recipient).Order());
        Assert.Equal([DataCategory.ContactIdentification], commands.Single(c => c.Recipient == "PAG").Corrections.Keys);
        Assert.Equal([DataCategory.ContactIdentification, DataCategory.FinancingLeasingInsurance], commands.Single(c => c.Recipient == "PFSKG").Corrections.Keys.Order());
        foreach (var command in commands)
        {
            await Hub.Publish(new CustomerDataRectified
            {
                CommandId = command.CommandId, RequestId = RequestId, CustomerId = Customer, Company = command.Recipient,
                Receipt = Scenario.Receipt(OutcomeKind.Changed, [.. command.Categories]),
            });
        }

        var completed = Assert.Single(await Hub.Published<RectificationCompleted>(c => c.RequestId == RequestId, 1));
        Assert.Equal(4, completed.AcknowledgedBy.Count);
    }
}
