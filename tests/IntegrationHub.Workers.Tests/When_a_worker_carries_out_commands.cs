using IntegrationHub.Contracts;
using IntegrationHub.Workers;

namespace IntegrationHub.Workers.Tests;

public sealed class When_a_worker_carries_out_commands : IAsyncLifetime
{
    private readonly Guid _customer = Guid.NewGuid();
    private WorkerHarness _pfs = null!;

    public async Task InitializeAsync()
    {
        _pfs = await WorkerHarness.Start("PFS", WorkerHost.FinancialServicesRetention);
        await _pfs.Deliver(_customer, CaptureContext.VehicleContract, Purpose.JointCare,
            DataCategory.ContactIdentification, DataCategory.Contract, DataCategory.CreditBank, DataCategory.FinancingLeasingInsurance);
        await _pfs.Deliver(_customer, CaptureContext.Events, Purpose.IndividualCare, DataCategory.InterestProfile);
    }

    public async Task DisposeAsync() => await _pfs.DisposeAsync();

    [Fact]
    public async Task Should_erase_all_but_the_retained_categories_keep_those_restricted_and_say_why()
    {
        var command = Erase();

        await _pfs.Send(command);

        var answer = Assert.Single(await _pfs.Answers<CustomerDataErased>(command.CommandId, 1));
        Assert.Equal("PFS", answer.Company);
        Assert.Equal(
            ["ContactIdentification:Erased:1", "Contract:KeptRestricted:1", "CreditBank:KeptRestricted:1", "FinancingLeasingInsurance:KeptRestricted:1", "InterestProfile:Erased:1"],
            answer.Receipt.Outcomes.Select(o => $"{o.Category}:{o.Outcome}:{o.RecordCount}"));
        Assert.All(answer.Receipt.Outcomes.Where(o => o.Outcome == OutcomeKind.KeptRestricted), o => Assert.Contains("§", o.LegalBasis));
        Assert.StartsWith("sha256:", answer.Receipt.Digest);
        var left = await _pfs.Records(_customer);
        Assert.Equal([DataCategory.Contract, DataCategory.CreditBank, DataCategory.FinancingLeasingInsurance], left.Select(r => r.Category).Order());
        Assert.All(left, r => Assert.True(r.Restricted && r.RetainedUnder is not null));
    }

    [Fact]
    public async Task Should_change_nothing_the_second_time_and_answer_the_same()
    {
        var command = Erase();
        await _pfs.Send(command);
        var first = Assert.Single(await _pfs.Answers<CustomerDataErased>(command.CommandId, 1));
        var afterFirst = await _pfs.Records(_customer);

        await _pfs.Send(command);

        var answers = await _pfs.Answers<CustomerDataErased>(command.CommandId, 2);
        Assert.Equal(2, answers.Count);
        Assert.Equal(first.Receipt.Digest, answers[1].Receipt.Digest);
        Assert.Equal(first.Receipt.CompletedAt, answers[1].Receipt.CompletedAt);
        Assert.Equal(afterFirst.Select(r => (r.Id, r.Fields, r.Restricted)), (await _pfs.Records(_customer)).Select(r => (r.Id, r.Fields, r.Restricted)));
    }

    [Fact]
    public async Task Should_delete_consent_based_data_on_withdrawal()
    {
        var command = new DeleteConsentBasedData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "PFS",
            Categories = [DataCategory.InterestProfile], AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3),
        };

        await _pfs.Send(command);

        var answer = Assert.Single(await _pfs.Answers<ConsentBasedDataDeleted>(command.CommandId, 1));
        Assert.Equal("InterestProfile:Erased:1", Assert.Single(answer.Receipt.Outcomes.Select(o => $"{o.Category}:{o.Outcome}:{o.RecordCount}")));
        Assert.DoesNotContain(await _pfs.Records(_customer), r => r.Category == DataCategory.InterestProfile);
    }

    [Fact]
    public async Task Should_apply_corrections_to_the_categories_held()
    {
        var command = new RectifyCustomerData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "PFS",
            Categories = [DataCategory.ContactIdentification], AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3),
            Corrections = new CategoryData { [DataCategory.ContactIdentification] = new() { ["familyName"] = "Neu" } },
        };

        await _pfs.Send(command);

        var answer = Assert.Single(await _pfs.Answers<CustomerDataRectified>(command.CommandId, 1));
        Assert.Equal("ContactIdentification:Changed:1", Assert.Single(answer.Receipt.Outcomes.Select(o => $"{o.Category}:{o.Outcome}:{o.RecordCount}")));
        var contact = (await _pfs.Records(_customer)).Single(r => r.Category == DataCategory.ContactIdentification);
        Assert.Contains("\"familyName\":\"Neu\"", contact.Fields);
        Assert.Contains("\"field\":", contact.Fields);
    }

    [Fact]
    public async Task Should_restrict_everything_and_lift_all_but_what_is_retained()
    {
        var restrict = new RestrictProcessing
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "PFS", Categories = [], AcknowledgeBy = DateTimeOffset.UtcNow,
        };
        await _pfs.Send(restrict);
        Assert.Single(await _pfs.Answers<ProcessingRestricted>(restrict.CommandId, 1));
        Assert.All(await _pfs.Records(_customer), r => Assert.True(r.Restricted));

        var lift = new LiftRestriction
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "PFS", Categories = [], AcknowledgeBy = DateTimeOffset.UtcNow,
        };
        await _pfs.Send(lift);

        Assert.Single(await _pfs.Answers<RestrictionLifted>(lift.CommandId, 1));
        Assert.All(await _pfs.Records(_customer), r => Assert.False(r.Restricted));
    }

    [Fact]
    public async Task Should_answer_access_with_everything_held_and_portability_with_what_was_provided()
    {
        var access = new ProvideCustomerData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "PFS", Categories = [], AcknowledgeBy = DateTimeOffset.UtcNow,
        };
        var portability = new ExportPortableData
        {
            CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "PFS", Categories = [], AcknowledgeBy = DateTimeOffset.UtcNow,
        };

        await _pfs.Send(access);
        await _pfs.Send(portability);

        var provided = Assert.Single(await _pfs.Answers<CustomerDataProvided>(access.CommandId, 1));
        Assert.Equal(5, provided.Records.Select(r => r.Category).Distinct().Count());
        Assert.Equal("CreditBank value", Assert.Single(provided.Records, r => r.Category == DataCategory.CreditBank).Fields["field"]);
        var exported = Assert.Single(await _pfs.Answers<PortableDataExported>(portability.CommandId, 1));
        Assert.Equal([DataCategory.ContactIdentification, DataCategory.Contract, DataCategory.CreditBank, DataCategory.FinancingLeasingInsurance], exported.Records.Select(r => r.Category).Distinct().Order());
    }

    [Fact]
    public async Task Should_refuse_a_command_addressed_to_another_company()
    {
        var command = Erase() with { Recipient = "PAG" };

        await _pfs.Send(command);

        Assert.True(await _pfs.Bus.Published.Any<MassTransit.Fault<EraseCustomerData>>());
        Assert.Equal(5, (await _pfs.Records(_customer)).Count);
    }

    private EraseCustomerData Erase() => new()
    {
        CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = _customer, Recipient = "PFS", Categories = [],
        AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3), Reason = ErasureReason.DataSubjectRequest,
    };
}
