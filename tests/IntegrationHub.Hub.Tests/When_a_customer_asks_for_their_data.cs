using System.IO.Compression;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Tests;

public sealed class When_a_customer_asks_for_their_data : FanOutSpecification
{
    [Fact]
    public async Task Should_gather_every_holder_into_one_report_naming_holders_sources_and_contacts()
    {
        await Hub.Publish(new AccessRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "OP-NORD", ReceivedAt = HubHarness.Start });
        var commands = await Hub.Sent<ProvideCustomerData>(c => c.RequestId == RequestId, 6);
        Assert.Equal(AllHolders, commands.Select(c => c.Recipient).Order());
        Assert.Equal("received", (await Desk(d => d.Status(RequestId)))!.State);

        foreach (var command in commands)
        {
            await Hub.Publish(Answer(command));
        }

        var completed = Assert.Single(await Hub.Published<AccessRequestCompleted>(c => c.RequestId == RequestId, 1));
        Assert.Empty(completed.MissingCompanies);
        var report = (await Desk(d => d.AccessReport(RequestId)))!;
        Assert.Equal("done", report.State);
        Assert.Empty(report.NotAnswered);
        Assert.Equal(AllHolders, report.Companies.Select(c => c.Id).Order());
        Assert.All(report.Companies, c => Assert.True(c.Holder && c.Answered));
        Assert.DoesNotContain(report.Companies, c => c.Id == "OP-SUED");
        var pfskg = report.Companies.Single(c => c.Id == "PFSKG");
        Assert.Contains("§ 257 HGB", pfskg.Retention);
        Assert.Equal(["OP-NORD"], pfskg.Holds.Single(h => h.Category == DataCategory.CreditBank).Sources);
        Assert.Equal("held by PFSKG", pfskg.Data![DataCategory.CreditBank]["note"]);
        Assert.Equal(["PD"], report.Companies.Single(c => c.Id == "PAG").Holds.Single(h => h.Category == DataCategory.VehicleHistory).Sources);

        var page = AccessReportPage.Render(report);
        Assert.Contains("Dr. Ing. h.c. F. Porsche AG", page);
        Assert.Contains("https://www.porsche.com/germany/privacy/contact/", page);
        Assert.DoesNotContain("Not answered by the deadline", page);
        Assert.Contains("\"requestId\"", JsonSerializer.Serialize(report, RequestDesk.ReportJson));
    }

    [Fact]
    public async Task Should_keep_only_receipts_and_times_once_the_report_is_written()
    {
        await AnsweredByEveryone();
        Assert.Equal(6, await Hub.Query(db => db.Gathered.CountAsync(g => g.RequestId == RequestId)));
        Assert.NotNull(await Desk(d => d.AccessReport(RequestId)));

        Assert.Equal(6, await Desk(d => d.ForgetAnswers(RequestId, "access report")));

        Assert.Equal(0, await Hub.Query(db => db.Gathered.CountAsync(g => g.RequestId == RequestId)));
        Assert.NotNull(await Desk(d => d.ReportWrittenAt(RequestId)));
        var status = (await Desk(d => d.Status(RequestId)))!;
        Assert.Equal("done", status.State);
        Assert.Equal(6, status.Receipts.Count);
        Assert.DoesNotContain("held by", await Hub.Query(db => db.Sagas.Where(r => r.CorrelationId == RequestId).Select(r => r.Data).SingleAsync()));
    }

    [Fact]
    public async Task Should_delete_gathered_values_nobody_wrote_out_after_their_retention()
    {
        await AnsweredByEveryone();
        await Hub.Advance(TimeSpan.FromDays(29));
        Assert.Equal(6, await Hub.Query(db => db.Gathered.CountAsync(g => g.RequestId == RequestId)));

        await Hub.Advance(TimeSpan.FromDays(2));

        Assert.Equal(0, await Hub.Query(db => db.Gathered.CountAsync(g => g.RequestId == RequestId)));
    }

    [Fact]
    public async Task Should_report_at_the_deadline_who_did_not_answer()
    {
        await Hub.Publish(new AccessRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        var commands = await Hub.Sent<ProvideCustomerData>(c => c.RequestId == RequestId, 6);
        foreach (var command in commands.Where(c => c.Recipient != "PSM"))
        {
            await Hub.Publish(Answer(command));
        }

        await Hub.RequestSettled(r => r!.Waiting.Count() == 1, RequestId, "only PSM silent");
        Assert.Equal("waiting", (await Desk(d => d.Status(RequestId)))!.State);

        await Hub.Advance(HubHarness.Start.AddMonths(1) - HubHarness.Start + TimeSpan.FromMinutes(1));

        var completed = Assert.Single(await Hub.Published<AccessRequestCompleted>(c => c.RequestId == RequestId, 1));
        Assert.Equal(["PSM"], completed.MissingCompanies);
        var report = (await Desk(d => d.AccessReport(RequestId)))!;
        Assert.Equal(["PSM"], report.NotAnswered);
        Assert.False(report.Companies.Single(c => c.Id == "PSM").Answered);
        Assert.Contains("Not answered by the deadline: PSM", AccessReportPage.Render(report));
    }

    [Fact]
    public async Task Should_package_what_the_customer_provided_as_json_and_csv_in_one_zip()
    {
        await Hub.Publish(new PortabilityRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start, TransmitTo = "another controller" });
        var commands = await Hub.Sent<ExportPortableData>(c => c.RequestId == RequestId, 6);
        foreach (var command in commands)
        {
            await Hub.Publish(new PortableDataExported
            {
                CommandId = command.CommandId, RequestId = RequestId, CustomerId = Customer, Company = command.Recipient,
                Receipt = Scenario.Receipt(OutcomeKind.Provided, [.. command.Categories]), Data = DataOf(command.Recipient, command.Categories),
            });
        }

        Assert.Single(await Hub.Published<PortabilityCompleted>(c => c.RequestId == RequestId, 1));
        using var zipFile = new MemoryStream();
        Assert.True(await Desk(d => d.WritePortabilityPackage(RequestId, zipFile)));

        zipFile.Position = 0;
        using var zip = new ZipArchive(zipFile, ZipArchiveMode.Read);
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        Assert.Equal("another controller", manifest.RootElement.GetProperty("transmitTo").GetString());
        Assert.Equal(AllHolders, manifest.RootElement.GetProperty("companies").EnumerateArray().Select(c => c.GetString()!).Order());
        using var data = JsonDocument.Parse(zip.GetEntry("data.json")!.Open());
        Assert.Equal("held by PFSKG", data.RootElement.GetProperty("PFSKG").GetProperty("FinancingLeasingInsurance").GetProperty("note").GetString());
        using var csv = new StreamReader(zip.GetEntry("ContactIdentification.csv")!.Open());
        var lines = (await csv.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("company,field,value", lines[0]);
        Assert.Contains("PAG,note,held by PAG", lines);
        Assert.All(manifest.RootElement.GetProperty("files").EnumerateArray(), f => Assert.Equal(64, f.GetProperty("sha256").GetString()!.Length));
    }

    private async Task AnsweredByEveryone()
    {
        await Hub.Publish(new AccessRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        foreach (var command in await Hub.Sent<ProvideCustomerData>(c => c.RequestId == RequestId, 6))
        {
            await Hub.Publish(Answer(command));
        }

        await Hub.RequestSettled(r => r?.CurrentState == "Done", RequestId, "access request done");
    }

    private CustomerDataProvided Answer(ProvideCustomerData command) => new()
    {
        CommandId = command.CommandId, RequestId = RequestId, CustomerId = Customer, Company = command.Recipient,
        Receipt = Scenario.Receipt(OutcomeKind.Provided, [.. command.Categories]), Data = DataOf(command.Recipient, command.Categories),
    };

    private static CategoryData DataOf(string company, IEnumerable<DataCategory> categories) =>
        new(categories.Select(c => KeyValuePair.Create(c, new Dictionary<string, string> { ["note"] = "held by " + company })));

    private async Task<T> Desk<T>(Func<RequestDesk, Task<T>> ask)
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        return await ask(scope.ServiceProvider.GetRequiredService<RequestDesk>());
    }
}
