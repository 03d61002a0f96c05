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
        Assert.Equal("held by PFSKG", Assert.Single(pfskg.Records!, r => r.Category == DataCategory.CreditBank).Fields["note"]);
        Assert.Equal(["PD"], report.Companies.Single(c => c.Id == "PAG").Holds.Single(h => h.Category == DataCategory.VehicleHistory).Sources);

        var page = AccessReportPage.Render(report);
        Assert.Contains("Dr. Ing. h.c. F. Porsche AG", page);
        Assert.Contains("from PD, PZ-HAMBURG, Workshop, JointCare", page);
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
                Receipt = Scenario.Receipt(OutcomeKind.Provided, [.. command.Categories]), Records = RecordsOf(command.Recipient, command.Categories),
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
        Assert.Equal("held by PFSKG", data.RootElement.GetProperty("PFSKG").EnumerateArray()
            .Single(r => r.GetProperty("category").GetString() == "FinancingLeasingInsurance").GetProperty("fields").GetProperty("note").GetString());
        using var csv = new StreamReader(zip.GetEntry("ContactIdentification.csv")!.Open());
        var lines = (await csv.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("company,record,source,context,purpose,capturedAt,receivedAt,field,value", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("PAG,1,PD,Workshop,JointCare,", StringComparison.Ordinal) && l.EndsWith(",note,held by PAG", StringComparison.Ordinal));
        Assert.All(manifest.RootElement.GetProperty("files").EnumerateArray(), f => Assert.Equal(64, f.GetProperty("sha256").GetString()!.Length));
    }

    /// <summary>Issue 13, item 4: a holder with an old and a new e-mail address reports both, in the report, on the page and in the package.</summary>
    [Theory]
    [InlineData("access")]
    [InlineData("portability")]
    public async Task Should_show_every_record_of_a_category_not_only_the_latest(string right)
    {
        var old = Scenario.Record(DataCategory.ContactIdentification, new() { ["email"] = "old@example.org" }, "PD", HubHarness.Start.AddYears(-1));
        var current = Scenario.Record(DataCategory.ContactIdentification, new() { ["email"] = "new@example.org" }, "OP-NORD");
        if (right == "access")
        {
            await Hub.Publish(new AccessRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start });
        }
        else
        {
            await Hub.Publish(new PortabilityRequested { RequestId = RequestId, CustomerId = Customer, ReceivedBy = "PD", ReceivedAt = HubHarness.Start, TransmitTo = "another controller" });
        }

        var commands = right == "access"
            ? (await Hub.Sent<ProvideCustomerData>(c => c.RequestId == RequestId, 6)).Select(c => (c.CommandId, c.Recipient)).ToList()
            : (await Hub.Sent<ExportPortableData>(c => c.RequestId == RequestId, 6)).Select(c => (c.CommandId, c.Recipient)).ToList();
        foreach (var (commandId, recipient) in commands)
        {
            List<CategoryRecord> records = recipient == "PAG" ? [old, current] : [];
            var receipt = Scenario.Receipt(OutcomeKind.Provided, [.. records.Select(r => r.Category).Distinct()]);
            if (right == "access")
            {
                await Hub.Publish(new CustomerDataProvided { CommandId = commandId, RequestId = RequestId, CustomerId = Customer, Company = recipient, Receipt = receipt, Records = records });
            }
            else
            {
                await Hub.Publish(new PortableDataExported { CommandId = commandId, RequestId = RequestId, CustomerId = Customer, Company = recipient, Receipt = receipt, Records = records });
            }
        }

        await Hub.RequestSettled(r => r?.CurrentState == "Done", RequestId, right + " request done");
        if (right == "access")
        {
            var report = (await Desk(d => d.AccessReport(RequestId)))!;
            var pag = report.Companies.Single(c => c.Id == "PAG");
            Assert.Equal(["old@example.org", "new@example.org"], pag.Records!.Select(r => r.Fields["email"]));
            Assert.Equal(["PD", "OP-NORD"], pag.Records!.Select(r => r.SourceCompany));
            var page = AccessReportPage.Render(report);
            Assert.Contains("email: old@example.org", page);
            Assert.Contains("email: new@example.org", page);
            Assert.Contains($"captured {HubHarness.Start.AddYears(-1):yyyy-MM-dd HH:mm}", page);
            var json = JsonSerializer.Serialize(report, RequestDesk.ReportJson);
            Assert.Contains("old@example.org", json);
            Assert.Contains("new@example.org", json);
            return;
        }

        using var zipFile = new MemoryStream();
        Assert.True(await Desk(d => d.WritePortabilityPackage(RequestId, zipFile)));
        zipFile.Position = 0;
        using var zip = new ZipArchive(zipFile, ZipArchiveMode.Read);
        using var data = JsonDocument.Parse(zip.GetEntry("data.json")!.Open());
        Assert.Equal(["old@example.org", "new@example.org"],
            data.RootElement.GetProperty("PAG").EnumerateArray().Select(r => r.GetProperty("fields").GetProperty("email").GetString()));
        using var csv = new StreamReader(zip.GetEntry("ContactIdentification.csv")!.Open());
        var lines = (await csv.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("PAG,1,PD,", StringComparison.Ordinal) && l.EndsWith(",email,old@example.org", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("PAG,2,OP-NORD,", StringComparison.Ordinal) && l.EndsWith(",email,new@example.org", StringComparison.Ordinal));
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
        Receipt = Scenario.Receipt(OutcomeKind.Provided, [.. command.Categories]), Records = RecordsOf(command.Recipient, command.Categories),
    };

    private static List<CategoryRecord> RecordsOf(string company, IEnumerable<DataCategory> categories) =>
        categories.Select(c => Scenario.Record(c, new() { ["note"] = "held by " + company })).ToList();

    private async Task<T> Desk<T>(Func<RequestDesk, Task<T>> ask)
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        return await ask(scope.ServiceProvider.GetRequiredService<RequestDesk>());
    }
}
