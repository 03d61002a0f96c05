using IntegrationHub.Contracts;

namespace IntegrationHub.Workers.Tests;

/// <summary>DOMAIN.md section 6.2: records the former operator holds for another Zentrum it runs stay.</summary>
public sealed class When_the_former_operator_erases_a_zentrum_s_records : IAsyncLifetime
{
    private readonly Guid _customer = Guid.NewGuid();
    private WorkerHarness _operator = null!;

    public async Task InitializeAsync() => _operator = await WorkerHarness.Start("OP-NORD");

    public async Task DisposeAsync() => await _operator.DisposeAsync();

    [Fact]
    public async Task Should_erase_only_the_records_of_the_changing_zentrum()
    {
        await _operator.Deliver(_operator.Delivery(_customer, CaptureContext.Workshop, Purpose.JointCare,
            [DataCategory.ContactIdentification, DataCategory.VehicleHistory], "PZ-HAMBURG"));
        await _operator.Deliver(_operator.Delivery(_customer, CaptureContext.Workshop, Purpose.JointCare, [DataCategory.VehicleHistory], "PZ-KIEL"));
        var erase = new EraseCustomerData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "OP-NORD",
            Categories = [DataCategory.ContactIdentification, DataCategory.VehicleHistory], AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3),
            Reason = ErasureReason.OperatorChange, DealerId = "PZ-HAMBURG",
        };

        await _operator.Send(erase);

        var answer = Assert.Single(await _operator.Answers<CustomerDataErased>(erase.CommandId, 1));
        Assert.Equal(["ContactIdentification:Erased:1", "VehicleHistory:Erased:1"], answer.Receipt.Outcomes.Select(o => $"{o.Category}:{o.Outcome}:{o.RecordCount}"));
        var left = Assert.Single(await _operator.Records(_customer));
        Assert.Equal(("PZ-KIEL", DataCategory.VehicleHistory), (left.DealerId, left.Category));
    }
}
