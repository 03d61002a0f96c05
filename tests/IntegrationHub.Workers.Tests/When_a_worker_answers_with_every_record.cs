using IntegrationHub.Contracts;

namespace IntegrationHub.Workers.Tests;

/// <summary>
/// Issue 13, item 4: access, portability and hand-over answers carry every record a company holds,
/// each with its source, context, purpose and times; an old and a new e-mail address are both there,
/// and the new operator stores every handed-over record with its origin.
/// </summary>
public sealed class When_a_worker_answers_with_every_record : OperatorSpecification
{
    [Fact]
    public async Task Should_carry_an_old_and_a_new_email_address_as_two_records_with_their_origin()
    {
        var old = Operator.Delivery(Customer, CaptureContext.Configuration, Purpose.JointCare, [DataCategory.ContactIdentification], dealerId: "PZ-HAMBURG", value: "old@example.org")
            with { CapturedAt = DateTimeOffset.UtcNow.AddYears(-1) };
        var current = Operator.Delivery(Customer, CaptureContext.MyPorscheConnect, Purpose.IndividualCare, [DataCategory.ContactIdentification], dealerId: "PZ-HAMBURG", value: "new@example.org")
            with { SourceCompany = "PAG" };
        await Operator.Deliver(old);
        await Operator.Deliver(current);

        var access = new ProvideCustomerData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = Customer, Recipient = "OP-NORD", Categories = [], AcknowledgeBy = DateTimeOffset.UtcNow,
        };
        var portability = new ExportPortableData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = Customer, Recipient = "OP-NORD", Categories = [], AcknowledgeBy = DateTimeOffset.UtcNow,
        };
        var handOver = new HandOverDealerRecords
        {
            CommandId = Guid.NewGuid(), TakeoverId = Guid.NewGuid(), CustomerId = Customer, Recipient = "OP-NORD", DealerId = "PZ-HAMBURG", AcknowledgeBy = DateTimeOffset.UtcNow,
        };
        await Operator.Send(access);
        await Operator.Send(portability);
        await Operator.Send(handOver);

        var provided = Assert.Single(await Operator.Answers<CustomerDataProvided>(access.CommandId, 1)).Records;
        Assert.Equal(["old@example.org", "new@example.org"], provided.Select(r => r.Fields["field"]));
        Assert.Equal(["PD", "PAG"], provided.Select(r => r.SourceCompany));
        Assert.Equal([CaptureContext.Configuration, CaptureContext.MyPorscheConnect], provided.Select(r => r.Context!.Value));
        Assert.Equal([Purpose.JointCare, Purpose.IndividualCare], provided.Select(r => r.Purpose!.Value));
        Assert.Equal(old.CapturedAt, provided[0].CapturedAt);
        Assert.Equal(2, Assert.Single(await Operator.Answers<CustomerDataProvided>(access.CommandId, 1)).Receipt.Outcomes.Single().RecordCount);
        // Portable: what the customer provided under contract or consent; both addresses, each once.
        Assert.Equal(["old@example.org", "new@example.org"],
            Assert.Single(await Operator.Answers<PortableDataExported>(portability.CommandId, 1)).Records.Select(r => r.Fields["field"]));
        var handedOver = Assert.Single(await Operator.Answers<DealerRecordsHandedOver>(handOver.CommandId, 1)).Records;
        Assert.Equal(["old@example.org", "new@example.org"], handedOver.Select(r => r.Fields["field"]));
        Assert.Equal(["PD", "PAG"], handedOver.Select(r => r.SourceCompany));
    }

    [Fact]
    public async Task Should_store_every_taken_over_record_with_its_origin_at_the_new_operator()
    {
        await using var newOperator = await WorkerHarness.Start("OP-SUED");
        var capturedLastYear = DateTimeOffset.UtcNow.AddYears(-1);
        CategoryRecord Record(string email, string source, CaptureContext context) => new()
        {
            Category = DataCategory.ContactIdentification, Fields = new() { ["email"] = email }, SourceCompany = source, DealerId = "PZ-HAMBURG",
            Context = context, Purpose = Purpose.JointCare, CapturedAt = capturedLastYear, ReceivedAt = capturedLastYear,
        };
        var takeOver = new TakeOverDealerRecords
        {
            CommandId = Guid.NewGuid(), TakeoverId = Guid.NewGuid(), CustomerId = Customer, Recipient = "OP-SUED", DealerId = "PZ-HAMBURG", FromOperator = "OP-NORD",
            Records = [Record("old@example.org", "PD", CaptureContext.Workshop), Record("new@example.org", "PAG", CaptureContext.MyPorscheConnect)],
            PolicyVersion = "test",
        };

        await newOperator.Send(takeOver);

        await WorkerHarness.Until(async () => (await newOperator.Records(Customer)).Count >= 2, "hand-over stored");

        var stored = await newOperator.Records(Customer);
        Assert.Equal(["{\"email\":\"old@example.org\"}", "{\"email\":\"new@example.org\"}"], stored.Select(r => r.Fields));
        Assert.Equal(["PD", "PAG"], stored.Select(r => r.SourceCompany));
        Assert.Equal([CaptureContext.Workshop, CaptureContext.MyPorscheConnect], stored.Select(r => r.Context!.Value));
        Assert.All(stored, r => Assert.Equal(capturedLastYear, r.CapturedAt));
    }
}
