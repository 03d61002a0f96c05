using IntegrationHub.Contracts;

namespace IntegrationHub.Workers.Tests;

/// <summary>
/// A worker keeps the receipt of each command it carried out, never the values it sent: a repeated
/// access, portability or hand-over is answered from what the store holds now (DOMAIN.md section 6.2).
/// </summary>
public sealed class When_a_command_comes_again : IAsyncLifetime
{
    private readonly Guid _customer = Guid.NewGuid();
    private readonly string _value = "value-" + Guid.NewGuid().ToString("N");
    private WorkerHarness _operator = null!;

    public async Task InitializeAsync() => _operator = await WorkerHarness.Start("OP-NORD");

    public async Task DisposeAsync() => await _operator.DisposeAsync();

    [Fact]
    public async Task Should_answer_a_repeated_access_from_what_is_held_now()
    {
        await _operator.Deliver(_operator.Delivery(_customer, CaptureContext.Workshop, Purpose.JointCare, [DataCategory.ContactIdentification], value: _value));
        var access = new ProvideCustomerData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "OP-NORD", Categories = [], AcknowledgeBy = DateTimeOffset.UtcNow,
        };
        await _operator.Send(access);
        Assert.Equal(_value, Assert.Single(await _operator.Answers<CustomerDataProvided>(access.CommandId, 1)).Data[DataCategory.ContactIdentification]["field"]);
        Assert.Equal(1, await _operator.CellsHolding(_value));

        await _operator.Send(Erase(ErasureReason.DataSubjectRequest, dealerId: null));
        await _operator.Send(access);

        var again = await _operator.Answers<CustomerDataProvided>(access.CommandId, 2);
        Assert.Equal(2, again.Count);
        Assert.Empty(again[1].Data);
        Assert.Empty(again[1].Receipt.Outcomes);
        Assert.Equal(0, await _operator.CellsHolding(_value));
    }

    [Fact]
    public async Task Should_hold_nothing_of_handed_over_records_once_erased_and_hand_over_nothing_again()
    {
        await _operator.Deliver(_operator.Delivery(_customer, CaptureContext.Workshop, Purpose.JointCare,
            [DataCategory.ContactIdentification, DataCategory.VehicleHistory], dealerId: "PZ-HAMBURG", value: _value));
        var handOver = new HandOverDealerRecords
        {
            CommandId = Guid.NewGuid(), TakeoverId = Guid.NewGuid(), CustomerId = _customer, Recipient = "OP-NORD", DealerId = "PZ-HAMBURG",
            AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3),
        };
        await _operator.Send(handOver);
        var first = Assert.Single(await _operator.Answers<DealerRecordsHandedOver>(handOver.CommandId, 1));
        Assert.Equal(2, first.Records.Count);

        var erase = Erase(ErasureReason.OperatorChange, "PZ-HAMBURG");
        await _operator.Send(erase);
        Assert.Single(await _operator.Answers<CustomerDataErased>(erase.CommandId, 1));
        await _operator.Send(handOver);

        var answers = await _operator.Answers<DealerRecordsHandedOver>(handOver.CommandId, 2);
        Assert.Equal(2, answers.Count);
        Assert.Empty(answers[1].Records);
        Assert.Empty(await _operator.Records(_customer));
        Assert.Equal(0, await _operator.CellsHolding(_value));
    }

    private EraseCustomerData Erase(ErasureReason reason, string? dealerId) => new()
    {
        CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "OP-NORD", Categories = [],
        AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3), Reason = reason, DealerId = dealerId,
    };
}
