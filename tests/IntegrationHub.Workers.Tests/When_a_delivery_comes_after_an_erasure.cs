using IntegrationHub.Contracts;

namespace IntegrationHub.Workers.Tests;

/// <summary>
/// A late or replayed delivery (moved back from an error queue, a replayed dead-letter queue) must not
/// bring erased data back: the hub's ledger no longer names the company as a holder (issue 13, item 3).
/// </summary>
public sealed class When_a_delivery_comes_after_an_erasure : IAsyncLifetime
{
    private readonly Guid _customer = Guid.NewGuid();
    private WorkerHarness _operator = null!;

    public async Task InitializeAsync() => _operator = await WorkerHarness.Start("OP-NORD");

    public async Task DisposeAsync() => await _operator.DisposeAsync();

    [Fact]
    public async Task Should_refuse_a_replay_and_any_delivery_for_the_erased_customer_and_count_them()
    {
        var delivery = await DeliveredThenErased(ErasureReason.DataSubjectRequest);

        await _operator.Send(delivery);
        await _operator.Send(delivery with { DeliveryId = Guid.NewGuid() });

        var refused = await _operator.Refusals(2);
        Assert.Equal([(delivery.DeliveryId, DeliveryRefusal.ErasedSinceStored), (refused[1].DeliveryId, DeliveryRefusal.CustomerErased)],
            refused.Select(r => (r.DeliveryId, r.Reason)));
        Assert.Empty(await _operator.Records(_customer));
        Assert.Equal(0, await _operator.CellsHolding(_customer.ToString()));
    }

    [Fact]
    public async Task Should_refuse_a_replay_after_an_operator_change_but_take_a_new_delivery_for_the_customer_who_lives_on()
    {
        var delivery = await DeliveredThenErased(ErasureReason.OperatorChange);

        await _operator.Send(delivery);
        Assert.Equal(DeliveryRefusal.ErasedSinceStored, Assert.Single(await _operator.Refusals(1)).Reason);
        var later = delivery with { DeliveryId = Guid.NewGuid() };
        await _operator.Deliver(later);

        Assert.Equal(later.DeliveryId, Assert.Single(await _operator.Records(_customer)).DeliveryId);
        Assert.Single(await _operator.Refusals(1));
    }

    private async Task<DeliverCustomerData> DeliveredThenErased(ErasureReason reason)
    {
        var delivery = _operator.Delivery(_customer, CaptureContext.Workshop, Purpose.JointCare, [DataCategory.ContactIdentification], "PZ-HAMBURG");
        await _operator.Deliver(delivery);
        var erase = new EraseCustomerData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "OP-NORD", Categories = [],
            AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3), Reason = reason,
        };
        await _operator.Send(erase);
        Assert.Single(await _operator.Answers<CustomerDataErased>(erase.CommandId, 1));
        return delivery;
    }
}
