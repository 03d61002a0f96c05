using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The demo, without a broker, runs the operations dashboard in its process and says where: after the
/// scenario a browser signs in with the token the demo printed and reads the demo's own store on the
/// requests and customer pages, while the queues page says the demo runs on the in-memory transport.
/// </summary>
public sealed partial class When_the_demo_s_dashboard_is_opened : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly Guid Anna = Guid.Parse("0b6f2f0e-3c1a-4b5e-9a51-7d2a3b1c0001");
    private static readonly Guid David = Guid.Parse("0b6f2f0e-3c1a-4b5e-9a51-7d2a3b1c0004");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-demo-dashboard-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _demo;

    [Fact]
    public async Task Should_show_the_demo_s_requests_and_customers_and_say_there_are_no_queues()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: infrastructure/run-tests.sh installs Debian's chromium");
        var stillUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "hub.dll"), "demo", _directory, "--wait", "--Ops:Urls=http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("RABBITMQ_URL");
        _demo = Process.Start(start)!;
        _demo.OutputDataReceived += (_, line) =>
        {
            _output.Enqueue(line.Data ?? "");
            if (line.Data?.StartsWith("dashboard: still up at ") == true)
            {
                stillUp.TrySetResult();
            }
        };
        _demo.ErrorDataReceived += (_, line) => _output.Enqueue(line.Data ?? "");
        _demo.Exited += (_, _) => stillUp.TrySetException(new InvalidOperationException($"the demo ended (exit {_demo.ExitCode}):\n{string.Join('\n', _output)}"));
        _demo.EnableRaisingEvents = true;
        _demo.BeginOutputReadLine();
        _demo.BeginErrorReadLine();
        _demo.StandardInput.Close();

        await stillUp.Task.WaitAsync(TimeSpan.FromMinutes(3));
        var text = string.Join('\n', _output);
        Assert.Contains("demo: done:", text);
        var address = DashboardLine().Match(text);
        var token = TokenLine().Match(text);
        Assert.True(address.Success && token.Success, "the demo did not say where its dashboard is and how to sign in:\n" + text);
        Assert.Contains("no queues, as the demo runs on the in-memory transport", text);

        Assertions.SetDefaultExpectTimeout(30_000);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var dashboard = address.Groups["address"].Value;

        // Behind the token printed by the demo, like every dashboard.
        var anonymous = await playwright.APIRequest.NewContextAsync();
        Assert.Equal(401, (await anonymous.GetAsync($"{dashboard}/api/customers/{David}")).Status);
        await page.GotoAsync(dashboard + "/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.FillAsync("input[name=token]", token.Groups["token"].Value);
        await page.ClickAsync("button[type=submit]");

        // Queues: none in memory, said in words instead of an error.
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("in-memory transport");
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("hub demo --broker");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repository.Root, "docs", "screenshots", "demo-queues.png"), FullPage = true });

        // Requests: the demo's requests, read from its store, all done by the end of the scenario.
        await page.GotoAsync(dashboard + "/requests.html");
        await Assertions.Expect(page.Locator("#done tbody tr", new() { HasText = "Erasure" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#done tbody tr", new() { HasText = "Access" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#done tbody tr", new() { HasText = "OperatorChangeErasure" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#overdue tbody")).ToContainTextAsync("none");
        await Assertions.Expect(page.Locator("#notice")).ToHaveCountAsync(0);

        // One customer: David stays with OP-NORD at Porsche Zentrum Stuttgart; Anna's Zentrum went to OP-SUED.
        await page.GotoAsync($"{dashboard}/customer.html?id={David}");
        await Assertions.Expect(page.Locator("#ledger tbody tr", new() { HasText = "OP-NORD" })).ToContainTextAsync("ContactIdentification");
        await page.GotoAsync($"{dashboard}/customer.html?id={Anna}");
        await Assertions.Expect(page.Locator("#ledger tbody tr", new() { HasText = "OP-SUED" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#ledger tbody")).Not.ToContainTextAsync("OP-NORD");

        // Ctrl+C or SIGTERM ends it: the dashboard, the hub and the workers stop, and the demo says so.
        using (var terminate = Process.Start("kill", ["-TERM", _demo.Id.ToString()]))
        {
            await terminate.WaitForExitAsync();
        }

        await _demo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(_demo.ExitCode == 0, $"exit {_demo.ExitCode}:\n{string.Join('\n', _output)}");
        Assert.Contains("demo: stopped", _output);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_demo is not null)
        {
            if (!_demo.HasExited)
            {
                _demo.Kill(entireProcessTree: true);
                await _demo.WaitForExitAsync();
            }

            _demo.Dispose();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [GeneratedRegex(@"^dashboard: (?<address>http://127\.0\.0\.1:\d+)$", RegexOptions.Multiline)]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"^dashboard: sign in with the token (?<token>[0-9A-F]{32}) ", RegexOptions.Multiline)]
    private static partial Regex TokenLine();
}
