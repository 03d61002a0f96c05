using System.Diagnostics;
using IntegrationHub.Workers;

namespace IntegrationHub.IntegrationTests;

/// <summary>One company worker as its own process, with its own broker login and its own SQLite store.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private WorkerProcess(string company, string storePath, Process process)
    {
        Company = company;
        StorePath = storePath;
        Process = process;
    }

    public string Company { get; }

    public string StorePath { get; }

    public Process Process { get; }

    public CompanyStore Store() => CompanyStore.Open(StorePath);

    /// <summary>Starts the worker; <paramref name="brokerUrl"/> (RABBITMQ_URL) points it at another broker address.</summary>
    public static WorkerProcess Start(string company, string assembly, string storePath, string? brokerUrl = null)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));
        start.ArgumentList.Add($"--Worker:Company={company}");
        start.ArgumentList.Add($"--Worker:DatabasePath={storePath}");
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        if (brokerUrl is not null)
        {
            start.Environment["RABBITMQ_URL"] = brokerUrl;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(company, storePath, process);
    }

    /// <summary>Ready when the company's queue has a consumer (this worker's, when no other runs).</summary>
    public async Task UntilConsuming(DateTime deadline)
    {
        await using var hub = await Broker.Connect("hub");
        await using var probe = await hub.CreateChannelAsync();
        while ((await probe.QueueDeclarePassiveAsync("company." + Company.ToLowerInvariant())).ConsumerCount == 0)
        {
            if (DateTime.UtcNow > deadline || Process.HasExited)
            {
                throw new InvalidOperationException($"the {Company} worker did not start consuming in time");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }
}
