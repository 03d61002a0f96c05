using System.Diagnostics;

namespace IntegrationHub.IntegrationTests;

/// <summary>The `hub` command line, as a data-protection officer would use it against the running hub.</summary>
[Collection(HubCollection.Name)]
public sealed class When_staff_use_the_hub_command(HubProcess hub)
{
    [Fact]
    public async Task Should_submit_an_access_request_and_follow_it_to_its_report()
    {
        var customer = Guid.NewGuid();

        var (submitted, requestOutput, requestErrors) = await Hub("request", "access", "--customer", customer.ToString(), "--received-by", "PD");
        Assert.True(submitted == 0, requestErrors);
        var requestId = Guid.Parse(requestOutput.Trim());

        // Nobody holds data of a customer the hub has never seen, so the request is done at once.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string status;
        do
        {
            (_, status, _) = await Hub("status", "--request", requestId.ToString(), $"--Hub:DatabasePath={hub.DatabasePath}");
        }
        while (!status.Contains(": done;") && DateTime.UtcNow < deadline && await Task.Delay(200).ContinueWith(_ => true));

        Assert.Contains($"Access {requestId} for customer {customer}: done;", status);
        var output = Path.Combine(Path.GetTempPath(), "ih-report-" + Guid.NewGuid().ToString("N"));
        var (reported, reportOutput, reportErrors) = await Hub("access-report", "--request", requestId.ToString(), "--out", output, $"--Hub:DatabasePath={hub.DatabasePath}");
        Assert.True(reported == 0, reportErrors);
        Assert.StartsWith("done:", reportOutput);
        Assert.Contains("Porsche Deutschland GmbH", await File.ReadAllTextAsync(Path.Combine(output, $"access-report-{requestId}.html")));
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public async Task Should_follow_a_request_to_its_end()
    {
        var (exitCode, output, errors) = await Hub("request", "erasure", "--customer", Guid.NewGuid().ToString(), "--follow", $"--Hub:DatabasePath={hub.DatabasePath}");

        Assert.True(exitCode == 0, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var requestId = Guid.Parse(lines[0].Trim());
        Assert.Equal($"request {requestId}: done, answered 0 of 0", lines[^1].Trim());
    }

    [Fact]
    public async Task Should_refuse_a_ledger_without_its_customer_before_opening_the_store()
    {
        var (refused, _, refusal) = await Hub("ledger", $"--Hub:DatabasePath={hub.DatabasePath}");
        Assert.Equal(64, refused);
        Assert.Contains("--customer <ID> is required", refusal);

        var (exitCode, output, _) = await Hub("ledger", "--customer", Guid.NewGuid().ToString(), $"--Hub:DatabasePath={hub.DatabasePath}");
        Assert.Equal(1, exitCode);
        Assert.Contains("(never known)", output);
    }

    [Fact]
    public async Task Should_announce_a_takeover_and_follow_it_to_the_end()
    {
        var (exitCode, output, errors) = await Hub("takeover", "--dealer", "PZ-LEIPZIG", "--from", "OP-SUED", "--to", "OP-NORD", "--follow", $"--Hub:DatabasePath={hub.DatabasePath}");

        Assert.True(exitCode == 0, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var takeoverId = Guid.Parse(lines[0].Trim());
        Assert.Contains($"takeover {takeoverId}: PZ-LEIPZIG OP-SUED -> OP-NORD", output);
        Assert.Contains("done, 0 customers handed over", lines[^1]);
    }

    private static async Task<(int ExitCode, string Output, string Errors)> Hub(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RABBITMQ_URL"] = $"amqp://{Broker.Settings("pd").Host}:{Broker.Settings("pd").Port}";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
