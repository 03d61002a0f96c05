using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The operations dashboard in headless Chromium (Debian's, driven by Playwright) against the real
/// broker and a real hub: it refuses a browser without the token, follows a queue's depth, shows a
/// customer's ledger, moves a refused capture back once its cause is fixed and sees the hub process
/// it, and names the companies that let a request become overdue. Writes docs/screenshots/*.png.
/// </summary>
[Collection(ExclusiveHubCollection.Name)]
public sealed class When_operations_use_the_dashboard : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string UnknownZentrum = "PZ-LEIPZIG";
    private static readonly string[] TouchedQueues = ["hub.inbound", "hub.inbound_error", "company.pag", "company.pd", "company.op-nord", "company.op-sued"];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-dashboard-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Should_show_queues_requests_and_a_customer_and_move_a_refused_capture_back_only_for_the_token()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: infrastructure/run-tests.sh installs Debian's chromium");
        var database = Path.Combine(_directory, "hub.db");

        // A capture for a Porsche Zentrum missing from the hub's parties.json is refused to the error queue.
        var refused = Capture(Guid.NewGuid(), UnknownZentrum);
        await using var hubConnection = await Broker.Connect("hub");
        await using var hubChannel = await Broker.Channel(hubConnection);
        var unaware = HubProcess.Options(database);
        unaware.PartiesPath = PartiesWithout(UnknownZentrum);
        using (var first = await HubProcess.Start(unaware))
        {
            await Broker.PublishAs("pd", "inbound.customer-data-captured", refused);
            await Eventually.Until(async () => await Broker.Count(hubChannel, "hub.inbound_error") == 1, "the capture for the unknown Zentrum refused");
            await first.StopAsync();
        }

        // The Zentrum is added and the hub restarted; acknowledgements are due after three seconds.
        var options = HubProcess.Options(database);
        options.AcknowledgementDeadline = TimeSpan.FromSeconds(3);
        options.DeadlineSweepInterval = TimeSpan.FromMilliseconds(250);
        using var hub = await HubProcess.Start(options);
        try
        {
            await Operate(hub, database, refused);
        }
        finally
        {
            await hub.StopAsync();
        }
    }

    private static async Task Operate(IHost hub, string database, CustomerDataCaptured refused)
    {
        await using var hubConnection = await Broker.Connect("hub");
        await using var hubChannel = await Broker.Channel(hubConnection);
        await using var dashboard = await DashboardProcess.Start(database);

        // Queue figures come from the broker's statistics, emitted every 5 seconds; a deadline takes a sweep.
        Assertions.SetDefaultExpectTimeout(30_000);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });

        // Refused without the token: pages lead to the sign-in form, the API and the dashboard's files answer nothing.
        await page.GotoAsync(dashboard.Address + "/requests.html");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login$"));
        var anonymous = await playwright.APIRequest.NewContextAsync();
        Assert.Equal(401, (await anonymous.GetAsync(dashboard.Address + "/api/customers/" + refused.CustomerId)).Status);
        Assert.Equal(302, (await anonymous.GetAsync(dashboard.Address + "/ops.js", new() { MaxRedirects = 0 })).Status);
        await page.FillAsync("input[name=token]", "not-the-token-at-all");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator(".refused")).ToBeVisibleAsync();
        await page.FillAsync("input[name=token]", dashboard.Token);
        await page.ClickAsync("button[type=submit]");

        // Queues: PAG's queue has no consumer here; a capture's copy raises its depth and it is flagged.
        // The broker's statistics lag (a purge shows up to 5 s later), so the depth to start from is the
        // broker's own count, and the dashboard is first awaited to show it.
        var pagDepth = page.Locator("#queues tr[data-queue='company.pag'] td:nth-child(3)");
        var before = await Broker.Count(hubChannel, "company.pag");
        await Assertions.Expect(pagDepth).ToHaveTextAsync(before.ToString());
        var customer = Guid.NewGuid();
        await Broker.PublishAs("pd", "inbound.customer-data-captured", Capture(customer, "PZ-HAMBURG"));
        await Assertions.Expect(pagDepth).ToHaveTextAsync((before + 1).ToString());
        await Assertions.Expect(page.Locator("#queues tr[data-queue='company.pag']")).ToContainTextAsync("no consumer");
        await Screenshot(page, "queues");

        // An access request nobody answers (no worker runs) and an erasure of a customer nobody holds (done at once).
        var access = new AccessRequested { RequestId = Guid.NewGuid(), CustomerId = customer, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow };
        await Broker.PublishAs("pd", "inbound.access-requested", access);
        var erased = new ErasureRequested { RequestId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow };
        await Broker.PublishAs("pd", "inbound.erasure-requested", erased);

        // A capture for the erased customer after the erasure is quarantined, not routed.
        await Eventually.Until(() => Audited(hub, erased.RequestId, AuditKind.CustomerErased), "the erasure of a customer nobody holds");
        await Broker.PublishAs("pd", "inbound.customer-data-captured", Capture(erased.CustomerId, "PZ-HAMBURG"));

        // The refused capture: inspected without its values, moved back after a confirmation, processed by the hub.
        await page.GotoAsync(dashboard.Address + "/parked.html");
        await page.ClickAsync("button[data-queue='hub.inbound_error']");
        var parked = page.Locator("#messages tbody tr", new() { HasText = refused.CaptureId.ToString() });
        await Assertions.Expect(parked).ToContainTextAsync("dealerId is not a known Porsche Zentrum");
        await Assertions.Expect(parked).ToContainTextAsync("ContactIdentification");
        await Assertions.Expect(page.Locator("#messages")).Not.ToContainTextAsync("Beispiel");
        await parked.Locator("button", new() { HasText = "Move back" }).ClickAsync();
        await Assertions.Expect(page.Locator(".confirm")).ToContainTextAsync("back to hub.inbound for another try?");
        await Screenshot(page, "parked");
        await page.ClickAsync("text=Yes, move it back");
        await Assertions.Expect(page.Locator("#move-status")).ToContainTextAsync("processed by the hub");
        Assert.True(await Audited(hub, refused.CaptureId, AuditKind.CaptureRouted), "the hub's audit has no routing of the capture moved back");
        Assert.Equal(0u, await Broker.Count(hubChannel, "hub.inbound_error"));

        // The Zentrum of the capture moved back passes to another operator: a takeover of one customer, in progress.
        var takeover = new DealerOperatorChangeAnnounced
        {
            TakeoverId = Guid.NewGuid(), DealerId = UnknownZentrum, FromOperator = "OP-SUED", ToOperator = "OP-NORD", EffectiveAt = DateTimeOffset.UtcNow,
            AnnouncedBy = "PD",
        };
        await Broker.PublishAs("pd", "inbound.dealer-operator-change-announced", takeover);

        // The customer: ledger of who holds what since when, and the acknowledgements still pending.
        await page.GotoAsync($"{dashboard.Address}/customer.html?id={customer}");
        await Assertions.Expect(page.Locator("#ledger tbody")).ToContainTextAsync("PAG");
        await Assertions.Expect(page.Locator("#ledger tbody tr", new() { HasText = "OP-NORD" }).First).ToContainTextAsync("ContactIdentification");
        await Assertions.Expect(page.Locator("#pending tbody")).ToContainTextAsync(access.RequestId.ToString());
        await Assertions.Expect(page.Locator("#audit tbody")).ToContainTextAsync("CaptureRouted");
        await Screenshot(page, "customer");

        // Requests: the access request is overdue, naming the holders that did not acknowledge.
        await page.GotoAsync(dashboard.Address + "/requests.html");
        var overdue = page.Locator($"#overdue tr[data-request='{access.RequestId}']");
        await Assertions.Expect(overdue).ToContainTextAsync("OP-NORD, PAG");
        await Assertions.Expect(page.Locator("#done tbody")).ToContainTextAsync(erased.RequestId.ToString());
        await Assertions.Expect(page.Locator("#quarantined tbody")).ToContainTextAsync(erased.RequestId.ToString());
        await Assertions.Expect(page.Locator($"#takeovers tr[data-takeover='{takeover.TakeoverId}'] td:nth-child(6)")).ToHaveTextAsync("1");
        await Screenshot(page, "requests");
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await Purge();
    }

    public async Task DisposeAsync()
    {
        await Purge();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task Purge()
    {
        await using var connection = await Broker.Connect("hub");
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in TouchedQueues)
        {
            await channel.QueuePurgeAsync(queue);
        }
    }

    private string PartiesWithout(string dealer)
    {
        var parties = JsonNode.Parse(File.ReadAllText(HubProcess.Options("").PartiesPath))!;
        var dealers = parties["dealers"]!.AsArray();
        dealers.Remove(dealers.Single(d => (string?)d!["id"] == dealer));
        var path = Path.Combine(_directory, "parties-without-" + dealer + ".json");
        File.WriteAllText(path, parties.ToJsonString());
        return path;
    }

    private static async Task<bool> Audited(IHost hub, Guid messageId, AuditKind kind)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Audit.AnyAsync(a => a.MessageId == messageId && a.Kind == kind);
    }

    /// <summary>The screenshots of docs/screenshots are the dashboard as this test saw it.</summary>
    private static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(RepositoryRoot(), "docs", "screenshots", name + ".png"), FullPage = true });

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IntegrationHub.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root (IntegrationHub.sln) is not above the test's folder");
    }

    private static CustomerDataCaptured Capture(Guid customer, string dealer) => new()
    {
        CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = "PD", DealerId = dealer, Context = CaptureContext.Workshop,
        Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
        Data = new CategoryData
        {
            [DataCategory.ContactIdentification] = new() { ["familyName"] = "Beispiel" },
            [DataCategory.VehicleHistory] = new() { ["service"] = "brakes" },
        },
    };
}
