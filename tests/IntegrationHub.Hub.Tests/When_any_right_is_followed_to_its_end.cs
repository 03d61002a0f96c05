using IntegrationHub.Contracts;
using IntegrationHub.Hub.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests;

/// <summary>Every right, as a person following it sees it: received, waiting for whom, overdue, done.</summary>
public sealed class When_any_right_is_followed_to_its_end : FanOutSpecification
{
    public static TheoryData<string> Rights() =>
        ["withdrawal", "objection", "direct marketing objection", "restriction", "lifting of a restriction", "rectification", "erasure", "access", "portability"];

    [Theory]
    [MemberData(nameof(Rights))]
    public async Task Should_show_each_stage_and_escalate_the_silent_holder(string right)
    {
        var at = HubHarness.Start;
        object request = right switch
        {
            "withdrawal" => new ConsentWithdrawn { ConsentId = RequestId, CustomerId = Customer, Channel = ConsentChannel.Post, CapturedBy = "PD", WithdrawnAt = at },
            "objection" => new ObjectionLodged { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = at },
            "direct marketing objection" => new DirectMarketingObjectionLodged { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = at },
            "restriction" => new RestrictionRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = at },
            "lifting of a restriction" => new RestrictionLiftRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = at },
            "rectification" => new RectificationRequested
            {
                RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = at,
                Corrections = new CategoryData { [DataCategory.InterestProfile] = new() { ["affinity"] = "corrected" } },
            },
            "erasure" => new ErasureRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = at },
            "access" => new AccessRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = at },
            _ => new PortabilityRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = at },
        };

        await Hub.Bus.Bus.Publish(request, request.GetType());

        // The companies holding the profile, the one category every holder has in this set-up.
        await Hub.RequestSettled(r => r is not null, RequestId, "request open");
        var fanOut = (await Hub.Request(RequestId))!;
        Assert.Equal(right is "withdrawal" or "rectification" ? ["OP-NORD", "PAG", "PFS", "PFSKG", "PSM"] : AllHolders, fanOut.Recipients.Select(r => r.Company).Order());
        Assert.Equal("received", (await Status()).State);

        var answering = fanOut.Recipients.Where(r => r.Company != "PSM").ToList();
        foreach (var recipient in answering)
        {
            await Hub.Bus.Bus.Publish(Answer(right, recipient.CommandId, recipient.Company, recipient.Categories), AnswerType(right));
        }

        await Hub.RequestSettled(r => r!.Waiting.Count() == 1, RequestId, "only PSM silent");
        var waiting = await Status();
        Assert.Equal("waiting", waiting.State);
        Assert.Equal(["PSM"], waiting.WaitingFor);

        await Hub.Advance(TimeSpan.FromHours(73));
        Assert.Single(await Hub.Published<AcknowledgementOverdue>(o => o.RequestId == RequestId && o.Company == "PSM", 1));
        await Hub.RequestSettled(r => r!.Recipients.Single(x => x.Company == "PSM").OverdueSince is not null, RequestId, "PSM overdue");
        var overdue = await Status();
        Assert.Equal("overdue", overdue.State);
        Assert.Equal(["PSM"], overdue.OverdueCompanies);

        var psm = fanOut.Recipients.Single(r => r.Company == "PSM");
        await Hub.Bus.Bus.Publish(Answer(right, psm.CommandId, psm.Company, psm.Categories), AnswerType(right));
        if (right == "erasure")
        {
            await Hub.Settled(s => s is null, Customer, "customer erased");
            return;
        }

        await Hub.RequestSettled(r => r!.CompletedAt is not null, RequestId, "done");
        Assert.Equal("done", (await Status()).State);
    }

    private async Task<RequestStatus> Status()
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<RequestDesk>().Status(RequestId))!;
    }

    private static Type AnswerType(string right) => right switch
    {
        "withdrawal" => typeof(ConsentBasedDataDeleted),
        "objection" => typeof(NeedsAnalysisStopped),
        "direct marketing objection" => typeof(DirectMarketingStopped),
        "restriction" => typeof(ProcessingRestricted),
        "lifting of a restriction" => typeof(RestrictionLifted),
        "rectification" => typeof(CustomerDataRectified),
        "erasure" => typeof(CustomerDataErased),
        "access" => typeof(CustomerDataProvided),
        _ => typeof(PortableDataExported),
    };

    private object Answer(string right, Guid command, string company, List<DataCategory> categories)
    {
        var receipt = Scenario.Receipt(OutcomeKind.Unchanged, [.. categories]);
        var records = categories.Select(c => Scenario.Record(c, new() { ["note"] = company })).ToList();
        return right switch
        {
            "withdrawal" => new ConsentBasedDataDeleted { CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = receipt },
            "objection" => new NeedsAnalysisStopped { CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = receipt },
            "direct marketing objection" => new DirectMarketingStopped { CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = receipt },
            "restriction" => new ProcessingRestricted { CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = receipt },
            "lifting of a restriction" => new RestrictionLifted { CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = receipt },
            "rectification" => new CustomerDataRectified { CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = receipt },
            "erasure" => new CustomerDataErased { CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = receipt },
            "access" => new CustomerDataProvided { CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = receipt, Records = records },
            _ => new PortableDataExported { CommandId = command, RequestId = RequestId, CustomerId = Customer, Company = company, Receipt = receipt, Records = records },
        };
    }
}
