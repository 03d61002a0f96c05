using IntegrationHub.Platform;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// A RabbitMQ node of the fault suite's own, which the tests may stop, kill and freeze: its own node
/// name, free ports, its own data folder, started as the rabbitmq user the way start-broker.sh starts
/// the shared one, with the repository's rabbitmq.conf (ports changed) and definitions.json. The
/// shared node that every other test uses is never touched.
/// </summary>
public sealed class OwnBroker : TestBroker, IAsyncLifetime
{
    private readonly string _directory = Path.Combine("/tmp", "ih-faults-" + Guid.NewGuid().ToString("N")[..12]);
    private int? _pid;

    public string Node { get; } = $"ihfaults{Environment.ProcessId}@localhost";

    public int AmqpPort { get; private set; }

    public int ManagementPort { get; private set; }

    /// <summary>RABBITMQ_URL for a hub or worker process that should use this node.</summary>
    public override string Url => $"amqp://127.0.0.1:{AmqpPort}";

    protected override IReadOnlyList<AmqpTcpEndpoint> Endpoints => [new("127.0.0.1", AmqpPort)];

    protected override int LiveManagementPort => ManagementPort;

    public async Task InitializeAsync()
    {
        var ports = FreePorts(4);
        (AmqpPort, ManagementPort) = (ports[0], ports[1]);
        Directory.CreateDirectory(_directory);

        // The repository's configuration with this node's ports; the broker process reads both files itself.
        var conf = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "rabbitmq", "rabbitmq.conf")).Select(line => line.Split(' ')[0] switch
        {
            "listeners.tcp.default" => $"listeners.tcp.default = {ports[0]}",
            "management.tcp.port" => $"management.tcp.port = {ports[1]}",
            "prometheus.tcp.port" => $"prometheus.tcp.port = {ports[2]}",
            _ => line,
        });
        await File.WriteAllLinesAsync(Path.Combine(_directory, "rabbitmq.conf"), conf);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "rabbitmq", "definitions.json"), Path.Combine(_directory, "definitions.json"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "rabbitmq", "enabled_plugins"), Path.Combine(_directory, "enabled_plugins"));
        _environment =
            $"PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/var/lib/rabbitmq RABBITMQ_NODENAME={Node} RABBITMQ_NODE_PORT={ports[0]} RABBITMQ_DIST_PORT={ports[3]} " +
            $"RABBITMQ_MNESIA_BASE={_directory}/mnesia RABBITMQ_LOG_BASE={_directory}/log RABBITMQ_CONFIG_FILE={_directory}/rabbitmq " +
            $"RABBITMQ_ENABLED_PLUGINS_FILE={_directory}/enabled_plugins RABBITMQ_PID_FILE={_directory}/pid";
        if (AsRoot)
        {
            await Run("chown", "-R", "rabbitmq:rabbitmq", _directory);
        }

        await Start();
        await Ctl(Node, "import_definitions", Path.Combine(_directory, "definitions.json"));
        await Ctl(Node, "delete_user", "guest");
    }

    private string _environment = "";

    /// <summary>Starts the node (again, on the same data after a kill) and waits until it serves AMQP.</summary>
    public async Task Start()
    {
        var command = $"{_environment} rabbitmq-server -detached >/dev/null 2>&1 </dev/null";
        if (AsRoot)
        {
            await Run("su", "-s", "/bin/sh", "rabbitmq", "-c", command);
        }
        else
        {
            await Run("/bin/sh", "-c", command);
        }

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                await Ctl(Node, "await_startup", "--timeout", "10");
                break;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                // The node registers with epmd a moment after the command returns.
                await Task.Delay(500);
            }
        }

        _pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(_directory, "pid"))).Trim());
    }

    /// <summary>Makes the broker refuse (basic.nack) every publish to this queue, as a queue without a leader does, until <see cref="Accept"/>.</summary>
    public Task Refuse(string queue) =>
        Ctl(Node, "set_policy", "-p", BrokerNames.VirtualHost, "--apply-to", "queues", "--priority", "10", "refuse-publishes",
            $"^{System.Text.RegularExpressions.Regex.Escape(queue)}$", """{"max-length":0,"overflow":"reject-publish"}""");

    public Task Accept() => Ctl(Node, "clear_policy", "-p", BrokerNames.VirtualHost, "refuse-publishes");

    public Task StopApp() => Ctl(Node, "stop_app");

    public Task StartApp() => Ctl(Node, "start_app");

    /// <summary>SIGKILL of the node's Erlang VM: no shutdown at all, as with a power cut of the broker.</summary>
    public async Task Kill()
    {
        await KillVm(_pid ?? throw new InvalidOperationException("the node is not running"));
        _pid = null;
    }

    /// <summary>SIGSTOP of the node's Erlang VM: its sockets stay open and nothing answers.</summary>
    public Task Freeze() => Run("kill", "-STOP", (_pid ?? throw new InvalidOperationException("the node is not running")).ToString());

    public Task Thaw() => Run("kill", "-CONT", (_pid ?? throw new InvalidOperationException("the node is not running")).ToString());

    public async Task DisposeAsync()
    {
        if (_pid is { } pid)
        {
            await Run("kill", "-CONT", pid.ToString());
            try
            {
                await Ctl(Node, "stop");
            }
            catch (InvalidOperationException)
            {
                await Run("kill", "-KILL", pid.ToString());
            }
        }

        Directory.Delete(_directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<OwnBroker>
{
    public const string Name = "faults on a broker of the suite's own";
}
