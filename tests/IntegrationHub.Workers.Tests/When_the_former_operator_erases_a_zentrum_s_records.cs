using IntegrationHub.Contracts;

namespace IntegrationHub.Workers.Tests;

/// <summary>DOMAIN.md section 6.2: records the former operator holds for another Zentrum it runs stay.</summary>
public sealed class When_the_formerOperator_erases_a_zentrum_s_records : OperatorSpecification
{

    [Fact]
    public async Task Should_erase_only_the_records_of_the_changing_zentrum()
    {
        await Operator.Deliver(Operator.Delivery(Customer, CaptureContext.Workshop, Purpose.JointCare,
            [DataCategory.ContactIdentification, DataCategory.VehicleHistory], "PZ-HAMBURG"));
        await Operator.Deliver(Operator.Delivery(Customer, CaptureContext.Workshop, Purpose.JointCare, [DataCategory.VehicleHistory], "PZ-KIEL"));

        var answer = await Erase(ErasureReason.OperatorChange, "PZ-HAMBURG");

        Assert.Equal(["ContactIdentification:Erased:1", "VehicleHistory:Erased:1"], answer.Receipt.Outcomes.Select(o => $"{o.Category}:{o.Outcome}:{o.RecordCount}"));
        var left = Assert.Single(await Operator.Records(Customer));
        Assert.Equal(("PZ-KIEL", DataCategory.VehicleHistory), (left.DealerId, left.Category));
    }
}
