using IntegrationHub.Contracts;

namespace IntegrationHub.Workers.Tests;

/// <summary>
/// A worker keeps the receipt of each command it carried out, never the values it sent: a repeated
/// access, portability or hand-over is answered from what the store holds now (DOMAIN.md section 6.2).
/// </summary>
public sealed class When_a_command_comes_again : OperatorSpecification
{
    private readonly string _value = "value-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Should_answer_a_repeated_access_from_what_is_held_now()
    {
        await Operator.Deliver(Operator.Delivery(Customer, CaptureContext.Workshop, Purpose.JointCare, [DataCategory.ContactIdentification], value: _value));
        var access = new ProvideCustomerData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = Customer, Recipient = "OP-NORD", Categories = [], AcknowledgeBy = DateTimeOffset.UtcNow,
        };
        await Operator.Send(access);
        Assert.Equal(_value, Assert.Single(await Operator.Answers<CustomerDataProvided>(access.CommandId, 1)).Records.Single().Fields["field"]);
        Assert.Equal(1, await Operator.CellsHolding(_value));

        await Erase(ErasureReason.DataSubjectRequest);
        await Operator.Send(access);

        var again = await Operator.Answers<CustomerDataProvided>(access.CommandId, 2);
        Assert.Equal(2, again.Count);
        Assert.Empty(again[1].Records);
        Assert.Empty(again[1].Receipt.Outcomes);
        Assert.Equal(0, await Operator.CellsHolding(_value));
    }

    [Fact]
    public async Task Should_hold_nothing_of_handed_over_records_once_erased_and_hand_over_nothing_again()
    {
        await Operator.Deliver(Operator.Delivery(Customer, CaptureContext.Workshop, Purpose.JointCare,
            [DataCategory.ContactIdentification, DataCategory.VehicleHistory], dealerId: "PZ-HAMBURG", value: _value));
        var handOver = new HandOverDealerRecords
        {
            CommandId = Guid.NewGuid(), TakeoverId = Guid.NewGuid(), CustomerId = Customer, Recipient = "OP-NORD", DealerId = "PZ-HAMBURG",
            AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3),
        };
        await Operator.Send(handOver);
        var first = Assert.Single(await Operator.Answers<DealerRecordsHandedOver>(handOver.CommandId, 1));
        Assert.Equal(2, first.Records.Count);

        await Erase(ErasureReason.OperatorChange, "PZ-HAMBURG");
        await Operator.Send(handOver);

        var answers = await Operator.Answers<DealerRecordsHandedOver>(handOver.CommandId, 2);
        Assert.Equal(2, answers.Count);
        Assert.Empty(answers[1].Records);
        Assert.Empty(await Operator.Records(Customer));
        Assert.Equal(0, await Operator.CellsHolding(_value));
    }
}
