using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// A broker that the fault cases own and may break: one node (<see cref="OwnBroker"/>) or a cluster of
/// three (<see cref="BrokerCluster"/>), each started as the rabbitmq user with the repository's
/// configuration and definitions on free ports. What the cases and <see cref="FaultWorld"/> use of it.
/// </summary>
public abstract class TestBroker
{
    /// <summary>RABBITMQ_URL for a hub or worker process that should use this broker.</summary>
    public abstract string Url { get; }

    /// <summary>The AMQP endpoints: a connection goes to any that answers.</summary>
    protected abstract IReadOnlyList<AmqpTcpEndpoint> Endpoints { get; }

    /// <summary>The management API's port (of any node of a cluster that still runs).</summary>
    protected abstract int LiveManagementPort { get; }

    protected static bool AsRoot => Environment.UserName == "root";

    public async Task<IConnection> Connect(string user)
    {
        var settings = Broker.Settings(user);
        var factory = new ConnectionFactory
        {
            VirtualHost = settings.VirtualHost, UserName = settings.Username, Password = settings.Password,
            ClientProvidedName = $"fault-tests-{user}", RequestedConnectionTimeout = TimeSpan.FromSeconds(5), ContinuationTimeout = TimeSpan.FromSeconds(10),
        };
        return await factory.CreateConnectionAsync(Endpoints);
    }

    /// <summary>The management API, as the ops user sees it.</summary>
    public HttpClient Management()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{LiveManagementPort}/api/"), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("ops:ops-dev"u8.ToArray()));
        return client;
    }

    public async Task<uint> Count(string queue)
    {
        await using var connection = await Connect("hub");
        await using var channel = await connection.CreateChannelAsync();
        return await Broker.Count(channel, queue);
    }

    public async Task Purge(params string[] queues)
    {
        await using var connection = await Connect("hub");
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            await channel.QueuePurgeAsync(queue);
        }
    }

    /// <summary>SIGKILL of a node's Erlang VM: no shutdown at all, as with a power cut of the broker; returns once the VM is gone.</summary>
    protected static async Task KillVm(int pid)
    {
        await Run("kill", "-KILL", pid.ToString());
        await Eventually.Until(() => Task.FromResult(!Directory.Exists($"/proc/{pid}")), "the broker's VM gone after SIGKILL", 30);
    }

    protected static Task Ctl(string node, params string[] arguments) => Run("rabbitmqctl", ["-q", "-n", node, .. arguments]);

    /// <summary>Runs a command to its end (bounded to two minutes) and fails with its output when it fails.</summary>
    protected static async Task Run(string file, params string[] arguments) => await Run(new Dictionary<string, string>(), file, arguments);

    protected static async Task<string> Run(IDictionary<string, string> environment, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") + ":/usr/sbin:/sbin";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments.Take(4))}: exit {process.ExitCode}: {await error}{await output}");
        }

        return await output;
    }

    protected static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
