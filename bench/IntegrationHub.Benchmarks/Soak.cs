using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit.Serialization;
using Microsoft.Data.Sqlite;
using RabbitMQ.Client;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// A soak (issue 12, item 3): captures published by PD with publisher confirms through the hub
/// process to the PAG and OP-NORD worker processes, each a process of its own on the broker that
/// RABBITMQ_URL names (the local one by default). Every ten seconds it records how far the stream
/// is and the hub's resident memory; a watchdog ends the run as failed when the workers' stores stop
/// growing for two minutes or the whole run exceeds its time limit, instead of hanging.
/// </summary>
/// <remarks>
/// The hub and worker processes are the built CLI (<c>hub.dll</c>): build it first
/// (<c>dotnet build -c Release src/IntegrationHub.Cli</c>) or point IH_HUB_DLL at it.
/// </remarks>
public static class Soak
{
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(2);
    private const int MaxBacklog = 5000;

    public static async Task<int> Run(int captures, string resultsPath)
    {
        var hubDll = Environment.GetEnvironmentVariable("IH_HUB_DLL") is { Length: > 0 } configured ? configured : FindHubDll();
        var directory = Path.Combine(Path.GetTempPath(), "ih-soak-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var settings = BrokerSettings.Development("pd");
        var factory = new ConnectionFactory { HostName = settings.Host, Port = settings.Port, VirtualHost = settings.VirtualHost };
        await Purge(factory, "hub.inbound", "company.pag", "company.op-nord");

        var processes = new List<Process>
        {
            Start(hubDll, "serve", $"--Hub:DatabasePath={Path.Combine(directory, "hub.db")}",
                $"--Hub:PolicyPath={Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json")}",
                $"--Hub:PartiesPath={Path.Combine(AppContext.BaseDirectory, "policy", "parties.json")}"),
        };
        var hub = processes[0];
        var stores = new Dictionary<string, string>();
        foreach (var company in new[] { "PAG", "OP-NORD" })
        {
            stores[company] = Path.Combine(directory, company.ToLowerInvariant() + ".db");
            processes.Add(Start(hubDll, "worker", company, $"--Worker:DatabasePath={stores[company]}"));
        }

        var samples = new List<string>();
        var clock = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(captures / 20.0) + TimeSpan.FromMinutes(10);
        var published = 0;
        string? failure = null;
        try
        {
            await UntilConsumed(factory, processes);
            var publishing = Publish(factory, captures, n => Volatile.Write(ref published, n));
            var lastProgress = (Count: -1L, At: clock.Elapsed);
            var lastSample = (Count: 0L, At: TimeSpan.Zero);
            while (true)
            {
                await Task.WhenAny(publishing, Task.Delay(Sample));
                if (publishing.IsFaulted)
                {
                    failure = $"publishing failed: {publishing.Exception!.InnerException!.GetType().Name}: {publishing.Exception.InnerException.Message}";
                    break;
                }

                var held = stores.Values.Select(Records).Min();
                var now = clock.Elapsed;
                if (now - lastSample.At >= Sample || held >= captures)
                {
                    var rate = (held - lastSample.Count) / (now - lastSample.At).TotalSeconds;
                    samples.Add(string.Create(CultureInfo.InvariantCulture,
                        $"| {now.TotalSeconds:0} | {Volatile.Read(ref published)} | {held} | {rate:0} | {ResidentMegabytes(hub):0} |"));
                    Console.WriteLine(samples[^1]);
                    lastSample = (held, now);
                }

                if (held >= captures)
                {
                    break;
                }

                if (held > lastProgress.Count)
                {
                    lastProgress = (held, now);
                }
                else if (now - lastProgress.At > Stall)
                {
                    failure = $"watchdog: no capture reached both stores for {Stall.TotalMinutes:0} minutes (stuck at {held})";
                    break;
                }

                if (now > limit)
                {
                    failure = $"watchdog: not done within the limit of {limit.TotalMinutes:0} minutes ({held} of {captures} in both stores)";
                    break;
                }

                if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
                {
                    failure = $"a process exited with {exited.ExitCode}";
                    break;
                }
            }
        }
        finally
        {
            foreach (var process in processes.Where(p => !p.HasExited))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            SqliteConnection.ClearAllPools();
        }

        var elapsed = clock.Elapsed;
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Soak, measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores; broker: {settings.Host}:{settings.Port}; command: `dotnet run -c Release --project bench/IntegrationHub.Benchmarks -- --soak {captures}`.")
            .AppendLine()
            .AppendLine(failure is null
                ? string.Create(CultureInfo.InvariantCulture, $"Result: all {captures} captures in both stores (PAG, OP-NORD) after {elapsed.TotalSeconds:0} s, {captures / elapsed.TotalSeconds:0} captures/s on average.")
                : $"Result: FAILED after {elapsed.TotalSeconds:0} s: {failure}.")
            .AppendLine()
            .AppendLine("Every 10 s: seconds since the start, captures published (confirmed), captures in both stores, captures/s reaching both stores since the last line, the hub's resident memory (MB).")
            .AppendLine()
            .AppendLine("| s | published | in both stores | captures/s | hub MB |")
            .AppendLine("|---|---|---|---|---|");
        samples.ForEach(s => report.AppendLine(s));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(resultsPath))!);
        await File.WriteAllTextAsync(resultsPath, report.ToString());
        Console.Write(report);
        Directory.Delete(directory, recursive: true);
        return failure is null ? 0 : 1;
    }

    /// <summary>Publishes with confirms in batches of 100, never more than <see cref="MaxBacklog"/> captures ahead of the hub.</summary>
    private static async Task Publish(ConnectionFactory factory, int captures, Action<int> setPublished)
    {
        await using var connection = await Connect(factory, "pd");
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var sent = 0;
        while (sent < captures)
        {
            if ((await channel.QueueDeclarePassiveAsync("hub.inbound")).MessageCount > MaxBacklog)
            {
                await Task.Delay(200);
                continue;
            }

            var batch = Enumerable.Range(0, Math.Min(100, captures - sent)).Select(_ =>
            {
                var capture = new CustomerDataCaptured
                {
                    CaptureId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop,
                    Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
                    Data = new CategoryData { [DataCategory.VehicleHistory] = new() { ["service"] = "inspection" } },
                };
                var properties = new BasicProperties
                {
                    ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, MessageId = capture.CaptureId.ToString(), UserId = "pd",
                    Headers = new Dictionary<string, object?> { [BrokerNames.MessageTypeHeader] = BrokerNames.MessageUrn<CustomerDataCaptured>() },
                };
                return channel.BasicPublishAsync("inbound.customer-data-captured", "", true, properties,
                    JsonSerializer.SerializeToUtf8Bytes(capture, SystemTextJsonMessageSerializer.Options)).AsTask();
            }).ToList();
            await Task.WhenAll(batch).WaitAsync(TimeSpan.FromSeconds(60));
            sent += batch.Count;
            setPublished(sent);
        }
    }

    private static async Task UntilConsumed(ConnectionFactory factory, List<Process> processes)
    {
        await using var connection = await Connect(factory, "hub");
        await using var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        foreach (var queue in new[] { "hub.inbound", "company.pag", "company.op-nord" })
        {
            while ((await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount == 0)
            {
                if (DateTime.UtcNow > deadline || processes.Any(p => p.HasExited))
                {
                    throw new InvalidOperationException($"soak: nothing consumes {queue} within 90 s");
                }

                await Task.Delay(200);
            }
        }
    }

    private static async Task Purge(ConnectionFactory factory, params string[] queues)
    {
        await using var connection = await Connect(factory, "hub");
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            await channel.QueuePurgeAsync(queue);
        }
    }

    private static Task<IConnection> Connect(ConnectionFactory factory, string user)
    {
        factory.UserName = user;
        factory.Password = user + "-dev";
        return factory.CreateConnectionAsync();
    }

    private static long Records(string store)
    {
        if (!File.Exists(store))
        {
            return 0;
        }

        using var connection = new SqliteConnection(SqliteStore.ConnectionString(store));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Records";
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            // The worker has not created its schema yet.
            return 0;
        }
    }

    private static double ResidentMegabytes(Process process)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static Process Start(string hubDll, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(hubDll);
        foreach (var argument in arguments.Append("--Logging:LogLevel:Default=Warning"))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 } text)
            {
                Console.Error.WriteLine($"soak [{process.Id}]: {text}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string FindHubDll()
    {
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var candidate = Path.GetFullPath(Path.Combine("src", "IntegrationHub.Cli", "bin", configuration, "net10.0", "hub.dll"));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("soak: no hub.dll; run from the repository root after `dotnet build -c Release src/IntegrationHub.Cli`, or set IH_HUB_DLL");
    }
}
