using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Platform;
using IntegrationHub.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The Python code of docs/amqp-interface.md, taken from the page as it stands and run against the
/// broker and the hub: the capture example is routed, and the consume-and-acknowledge example (PSM)
/// stores its deliveries, answers an access request with every record and a receipt whose digest is
/// the page's recipe, and answers the erasure that follows; both requests complete.
/// </summary>
[Collection(HubCollection.Name)]
public sealed partial class When_a_python_system_follows_the_interface_page(HubProcess hub)
{
    private const string DebianPython = "/usr/bin/python3";

    [Fact]
    public async Task Should_route_the_page_s_capture()
    {
        var customer = Guid.Parse("2f0c8a43-6f55-4a57-9d0e-3f4c1b2a9e11");
        using var capture = Run(CodeUnder("## A capture from Python"), "pd");
        await capture.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.True(capture.ExitCode == 0, $"the page's capture example failed: {await capture.StandardError.ReadToEndAsync()}");

        var ledger = await Eventually.Until(async () => (await Desk(d => d.Customer(customer)))?.Ledger ?? [],
            held => held.Any(h => h.Company == "PAG"), "the page's capture routed");
        Assert.Contains(ledger, h => h.Company == "OP-NORD" && h.Category == DataCategory.ContactIdentification);
    }

    [Fact]
    public async Task Should_take_part_in_an_access_request_and_an_erasure_with_the_page_s_consumer()
    {
        var customer = Guid.NewGuid();
        using var consumer = Run(CodeUnder("## Consuming and acknowledging, from Python"), "psm");
        var output = new Output(consumer);
        try
        {
            await output.Until(line => line.StartsWith("consuming company.psm", StringComparison.Ordinal), "the example consuming");

            // A login from My Porsche, old and new: PAG captures, and of these categories only PSM receives any.
            var captures = new[] { "old@example.org", "new@example.org" }.Select(login => new CustomerDataCaptured
            {
                CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = "PAG", Context = CaptureContext.MyPorscheConnect, Purpose = Purpose.JointCare,
                CapturedAt = DateTimeOffset.UtcNow, Data = new CategoryData { [DataCategory.PorscheIdAccount] = new() { ["login"] = login, ["name"] = "Müller" } },
            }).ToList();
            foreach (var capture in captures)
            {
                await Broker.PublishAs("pag", "inbound.customer-data-captured", capture);
                Assert.True(await hub.WaitUntilDispatched(capture.CaptureId, TimeSpan.FromSeconds(30)), "capture not dispatched");
            }

            var access = new AccessRequested { RequestId = Guid.NewGuid(), CustomerId = customer, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow };
            await Broker.PublishAs("pd", "inbound.access-requested", access);
            var status = await Eventually.Until(() => Desk(d => d.Status(access.RequestId)), s => s?.State == "done", "the access request done", seconds: 60);

            var receipt = Assert.Single(status!.Receipts);
            Assert.Equal("PSM", receipt.Company);
            var expected = CompanyCommands.Digest(captures.Select(c => new HeldRecord
            {
                DeliveryId = RequestCommands.DeliveryId(c.CaptureId, "PSM"), Category = DataCategory.PorscheIdAccount,
                Fields = JsonSerializer.Serialize(c.Data[DataCategory.PorscheIdAccount]), SourceCompany = "PAG",
            }));
            Assert.Equal(expected, receipt.Digest);
            Assert.Equal(2, Assert.Single(receipt.Outcomes).RecordCount);
            var psm = (await Desk(d => d.AccessReport(access.RequestId)))!.Companies.Single(c => c.Id == "PSM");
            Assert.Equal(["old@example.org", "new@example.org"], psm.Records!.Select(r => r.Fields["login"]));
            Assert.All(psm.Records!, r => Assert.Equal(("PAG", CaptureContext.MyPorscheConnect), (r.SourceCompany, r.Context!.Value)));

            var erasure = new ErasureRequested { RequestId = Guid.NewGuid(), CustomerId = customer, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow };
            await Broker.PublishAs("pd", "inbound.erasure-requested", erasure);
            await hub.UntilErased(erasure.RequestId);
            await output.Until(line => line.StartsWith("answered EraseCustomerData", StringComparison.Ordinal), "the example answering the erasure");
        }
        finally
        {
            consumer.Kill();
            await consumer.WaitForExitAsync();
        }

        Assert.DoesNotContain("Traceback", await consumer.StandardError.ReadToEndAsync());
    }

    /// <summary>The example's standard output, line by line, for waiting on what it says it did.</summary>
    private sealed class Output
    {
        private readonly List<string> _lines = [];

        public Output(Process process) => _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                }
            }
        });

        public Task Until(Func<string, bool> seen, string what) =>
            Eventually.Until(() =>
            {
                lock (_lines)
                {
                    return Task.FromResult(_lines.Any(seen));
                }
            }, what, seconds: 60);
    }

    private static Process Run(string code, string user)
    {
        var script = Path.Combine(Path.GetTempPath(), $"ih-page-example-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, code);
        var start = new ProcessStartInfo(DebianPython) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.Environment["COMPANY_USER"] = user;
        start.Environment["BROKER_HOST"] = Broker.Settings(user).Host;
        start.Environment["BROKER_PORT"] = Broker.Settings(user).Port.ToString();
        return Process.Start(start)!;
    }

    /// <summary>The one Python block of the page's section with this heading, exactly as written there.</summary>
    private static string CodeUnder(string heading)
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "amqp-interface.md"));
        var section = page[(page.IndexOf(heading + "\n", StringComparison.Ordinal) is var at and >= 0 ? at : throw new InvalidOperationException("no section " + heading))..];
        return Assert.Single(PythonBlock().Matches(section[..(NextSection().Match(section, heading.Length) is { Success: true } next ? next.Index : section.Length)]))
            .Groups["code"].Value;
    }

    [GeneratedRegex(@"```python\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();

    [GeneratedRegex(@"^## ", RegexOptions.Multiline)]
    private static partial Regex NextSection();

    private async Task<T> Desk<T>(Func<RequestDesk, Task<T>> ask)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await ask(scope.ServiceProvider.GetRequiredService<RequestDesk>());
    }
}
