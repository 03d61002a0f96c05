using IntegrationHub.Contracts;

namespace IntegrationHub.Workers.Tests;

/// <summary>
/// A late or replayed delivery (moved back from an error queue, a replayed dead-letter queue) must not
/// bring erased data back: the hub's ledger no longer names the company as a holder (issue 13, item 3).
/// </summary>
public sealed class When_a_delivery_comes_after_an_erasure : OperatorSpecification
{

    [Fact]
    public async Task Should_refuse_a_replay_and_any_delivery_for_the_erasedCustomer_and_count_them()
    {
        var delivery = await DeliveredThenErased(ErasureReason.DataSubjectRequest);

        await Operator.Send(delivery);
        await Operator.Send(delivery with { DeliveryId = Guid.NewGuid() });

        var refused = await Operator.Refusals(2);
        Assert.Equal([(delivery.DeliveryId, DeliveryRefusal.ErasedSinceStored), (refused[1].DeliveryId, DeliveryRefusal.CustomerErased)],
            refused.Select(r => (r.DeliveryId, r.Reason)));
        Assert.Empty(await Operator.Records(Customer));
        Assert.Equal(0, await Operator.CellsHolding(Customer.ToString()));
    }

    [Fact]
    public async Task Should_refuse_a_replay_after_anOperator_change_but_take_a_new_delivery_for_theCustomer_who_lives_on()
    {
        var delivery = await DeliveredThenErased(ErasureReason.OperatorChange);

        await Operator.Send(delivery);
        Assert.Equal(DeliveryRefusal.ErasedSinceStored, Assert.Single(await Operator.Refusals(1)).Reason);
        var later = delivery with { DeliveryId = Guid.NewGuid() };
        await Operator.Deliver(later);

        Assert.Equal(later.DeliveryId, Assert.Single(await Operator.Records(Customer)).DeliveryId);
        Assert.Single(await Operator.Refusals(1));
    }

    private async Task<DeliverCustomerData> DeliveredThenErased(ErasureReason reason)
    {
        var delivery = Operator.Delivery(Customer, CaptureContext.Workshop, Purpose.JointCare, [DataCategory.ContactIdentification], "PZ-HAMBURG");
        await Operator.Deliver(delivery);
        await Erase(reason);
        return delivery;
    }
}
