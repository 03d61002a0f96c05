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

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    public CompanyStore Store() => CompanyStore.Open(StorePath);

    /// <summary>Starts the worker; <paramref name="brokerUrl"/> (RABBITMQ_URL) points it at another broker address.</summary>
    public static WorkerProcess Start(string company, string assembly, string storePath, string? brokerUrl = null, string logLevel = "Warning")
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));
        start.ArgumentList.Add($"--Worker:Company={company}");
        start.ArgumentList.Add($"--Worker:DatabasePath={storePath}");
        start.ArgumentList.Add($"--Logging:LogLevel:Default={logLevel}");
        if (brokerUrl is not null)
        {
            start.Environment["RABBITMQ_URL"] = brokerUrl;
        }

        var worker = new WorkerProcess(company, storePath, Process.Start(start)!);
        worker.Process.OutputDataReceived += (_, line) => worker.Output.Enqueue(line.Data ?? "");
        worker.Process.ErrorDataReceived += (_, line) => worker.Output.Enqueue(line.Data ?? "");
        worker.Process.BeginOutputReadLine();
        worker.Process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Ready when the company's queue has a consumer (this worker's, when no other runs).</summary>
    public async Task UntilConsuming(DateTime deadline, Func<string, Task<RabbitMQ.Client.IConnection>>? connect = null)
    {
        await using var hub = await (connect ?? Broker.Connect)("hub");
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
