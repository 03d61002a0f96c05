using System.Diagnostics;

namespace IntegrationHub.IntegrationTests;

/// <summary>The `hub` command line as a separate process, pointed at the tests' broker.</summary>
public static class HubCommand
{
    public static async Task<(int ExitCode, string Output, string Errors)> Run(params string[] arguments)
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
