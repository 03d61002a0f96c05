using System.Diagnostics;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// An operator who submits a request while the broker is not there is told so at once, in one line; a
/// worker keeps trying (the hub too: <see cref="When_the_hub_starts_before_the_broker"/>).
/// </summary>
public sealed class When_the_hub_command_cannot_reach_the_broker
{
    [Fact]
    public async Task Should_say_where_it_tried_and_stop_a_request_without_a_stack_trace()
    {
        var started = Stopwatch.StartNew();

        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        var (exitCode, errors) = await Hub(["request", "access", "--customer", "6f1f1c52-9f7e-4d8e-9a57-1a2b3c4d5e6f", "--Broker:Port=1",
            $"--Hub:PolicyPath={Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json")}",
            $"--Hub:PartiesPath={Path.Combine(AppContext.BaseDirectory, "policy", "parties.json")}"]);

        Assert.Equal(69, exitCode);
        Assert.Contains("cannot reach RabbitMQ at 127.0.0.1:1", errors);
        Assert.Contains("connection refused at 127.0.0.1:1", errors);
        Assert.DoesNotContain("   at ", errors);
        Assert.Single(errors.Trim().Split('\n'));

        // Starting the .NET process itself takes a good part of it on a busy machine.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Should_refuse_an_unknown_request_kind_before_connecting()
    {
        var (exitCode, errors) = await Hub(["request", "forget-me", "--customer", Guid.NewGuid().ToString(), "--Broker:Port=1"]);

        Assert.Equal(64, exitCode);
        Assert.Contains("unknown request kind 'forget-me'", errors);
        Assert.DoesNotContain("cannot reach", errors);
    }

    [Fact]
    public async Task Should_keep_a_worker_trying_with_one_line_per_attempt_and_a_growing_wait()
    {
        var store = Path.Combine(Path.GetTempPath(), $"ih-unreachable-{Guid.NewGuid():N}.db");
        IReadOnlyList<string> lines;
        try
        {
            await using var worker = RunningHubCommand.Start(null, "worker", "PAG", "--Broker:Port=1", $"--Worker:DatabasePath={store}");
            await worker.UntilLines(l => l.Contains("consuming company.pag at"), 3, TimeSpan.FromSeconds(60));
            lines = worker.Lines;
        }
        finally
        {
            File.Delete(store);
        }

        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ") || l.StartsWith(' '));
        var attempts = lines.Where(l => l.Contains("consuming company.pag at")).ToList();

        Assert.All(attempts, a => Assert.Contains("127.0.0.1:1 interrupted", a));
        Assert.All(attempts, a => Assert.Contains("Connection refused", a));
        Assert.Contains("again in 2 s", attempts[0]);
        Assert.Contains("again in 4 s", attempts[1]);
        Assert.Contains("again in 8 s", attempts[2]);
    }

    private static async Task<(int ExitCode, string Errors)> Hub(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await output;
        return (process.ExitCode, await errors);
    }
}

/// <summary>The demo starts from empty stores without deleting anything that is not its own.</summary>
public sealed class When_the_demo_is_given_a_directory
{
    [Fact]
    public async Task Should_leave_a_directory_with_other_files_alone()
    {
        var directory = Directory.CreateTempSubdirectory("ih-demo-").FullName;
        var precious = Path.Combine(directory, "thesis.txt");
        await File.WriteAllTextAsync(precious, "not the demo's");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        start.ArgumentList.Add("demo");
        start.ArgumentList.Add(directory);

        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(64, process.ExitCode);
        Assert.Contains("holds files that are not the demo's stores", errors);
        Assert.Equal("not the demo's", await File.ReadAllTextAsync(precious));
        Directory.Delete(directory, recursive: true);
    }
}
