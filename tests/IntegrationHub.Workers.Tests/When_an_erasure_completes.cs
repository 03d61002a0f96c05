using IntegrationHub.Contracts;

namespace IntegrationHub.Workers.Tests;

/// <summary>Art. 17 GDPR to the last byte: no erased or replaced value stays in the store's database or WAL file.</summary>
public sealed class When_an_erasure_completes : OperatorSpecification
{
    private readonly string _value = "value-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Should_leave_no_erased_value_in_the_database_or_its_wal()
    {
        await Operator.Deliver(Operator.Delivery(Customer, CaptureContext.Workshop, Purpose.JointCare, [DataCategory.ContactIdentification], "PZ-HAMBURG", _value));
        Assert.NotEmpty(Operator.FilesHolding(_value));

        await Erase(ErasureReason.DataSubjectRequest);

        Assert.Empty(Operator.FilesHolding(_value));
    }

    [Fact]
    public async Task Should_leave_no_replaced_value_after_a_rectification()
    {
        await Operator.Deliver(Operator.Delivery(Customer, CaptureContext.Workshop, Purpose.JointCare, [DataCategory.ContactIdentification], "PZ-HAMBURG", _value));
        var rectify = new RectifyCustomerData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = Customer, Recipient = "OP-NORD",
            Categories = [DataCategory.ContactIdentification], AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3),
            Corrections = new CategoryData { [DataCategory.ContactIdentification] = new() { ["field"] = "corrected" } },
        };

        await Operator.Send(rectify);

        Assert.Single(await Operator.Answers<CustomerDataRectified>(rectify.CommandId, 1));
        Assert.Empty(Operator.FilesHolding(_value));
    }
}
