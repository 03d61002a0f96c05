using System.Net.Http.Json;
using System.Text.Json;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 10: a three-node RabbitMQ cluster of the suite's own, started by the operators' own
/// infrastructure/rabbitmq/start-cluster.sh on free ports in a folder of its own (node names, data,
/// logs and configuration per node; the definitions imported once; every quorum queue on all three
/// nodes). A case may kill a node's Erlang VM; the shared node and the fault suite's node are not touched.
/// </summary>
public sealed class BrokerCluster : TestBroker, IAsyncLifetime
{
    private readonly string _directory = Path.Combine("/tmp", "ih-cluster-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _prefix = $"ihcluster{Environment.ProcessId}n";
    private readonly HashSet<string> _killed = [];
    private Dictionary<string, string> _environment = [];
    private int[] _amqp = [];
    private int[] _management = [];

    /// <summary>The nodes' names, in the order of <see cref="Url"/>.</summary>
    public IReadOnlyList<string> Nodes => [.. Enumerable.Range(1, 3).Select(i => $"{_prefix}{i}@localhost")];

    /// <summary>How long the script took to start and form the cluster.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>RABBITMQ_URL with the three nodes, as an operator gives it to the hub, the workers and the client library.</summary>
    public override string Url => "amqp://" + string.Join(',', _amqp.Select(port => $"127.0.0.1:{port}"));

    protected override IReadOnlyList<AmqpTcpEndpoint> Endpoints => [.. Live.Select(i => new AmqpTcpEndpoint("127.0.0.1", _amqp[i]))];

    protected override int LiveManagementPort => _management[Live.First()];

    private IEnumerable<int> Live => Enumerable.Range(0, 3).Where(i => !_killed.Contains(Nodes[i]));

    public async Task InitializeAsync()
    {
        var ports = FreePorts(12);
        (_amqp, _management) = (ports[0..3], ports[3..6]);
        _environment = new Dictionary<string, string>
        {
            ["IH_CLUSTER_DIR"] = _directory, ["IH_CLUSTER_PREFIX"] = _prefix,
            ["IH_CLUSTER_AMQP_PORTS"] = string.Join(' ', ports[0..3]), ["IH_CLUSTER_MANAGEMENT_PORTS"] = string.Join(' ', ports[3..6]),
            ["IH_CLUSTER_PROMETHEUS_PORTS"] = string.Join(' ', ports[6..9]), ["IH_CLUSTER_DIST_PORTS"] = string.Join(' ', ports[9..12]),
        };
        var started = DateTime.UtcNow;
        await Run(_environment, "bash", Path.Combine(Repository.Root, "infrastructure", "rabbitmq", "start-cluster.sh"));
        StartTime = DateTime.UtcNow - started;
    }

    /// <summary>The members of each quorum queue of the vhost, as the management API lists them.</summary>
    public async Task<Dictionary<string, List<string>>> QuorumMembers()
    {
        using var management = Management();
        var queues = await management.GetFromJsonAsync<List<JsonElement>>("queues/integration-hub?columns=name,type,members");
        return queues!.Where(q => q.GetProperty("type").GetString() == "quorum")
            .ToDictionary(q => q.GetProperty("name").GetString()!, q => q.GetProperty("members").EnumerateArray().Select(m => m.GetString()!).Order().ToList());
    }

    /// <summary>The node that holds the connection of this name (connections are named role@host/pid), or null while there is none.</summary>
    public async Task<string?> NodeOf(string connectionName)
    {
        using var management = Management();
        var connections = await management.GetFromJsonAsync<List<JsonElement>>("connections");
        return connections!
            .Where(c => c.GetProperty("client_properties").TryGetProperty("connection_name", out var name) && name.GetString() == connectionName)
            .Select(c => c.GetProperty("node").GetString()).FirstOrDefault();
    }

    /// <summary>The pid of a node's Erlang VM (beam.smp), from the pid file the node wrote at its start.</summary>
    public async Task<int> VmOf(string node)
    {
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(_directory, node.Split('@')[0], "pid"))).Trim());
        var program = (await File.ReadAllTextAsync($"/proc/{pid}/comm")).Trim();
        return program == "beam.smp" ? pid : throw new InvalidOperationException($"the pid file of {node} names {program}, not the Erlang VM");
    }

    /// <summary>SIGKILL of the node's Erlang VM, returning once it is gone; the other two go on as the cluster.</summary>
    public async Task Kill(string node)
    {
        await KillVm(await VmOf(node));
        _killed.Add(node);
    }

    /// <summary>
    /// What a failed case leaves for the reader: each surviving node's queues (leader, members, consumers),
    /// consumers, channels (unconfirmed publishes) and connections, and every node's log.
    /// </summary>
    public async Task WriteState(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var node in Nodes.Where(n => !_killed.Contains(n)))
        {
            foreach (var (name, arguments) in new (string, string[])[]
                     {
                         ("queues", ["list_queues", "-p", "integration-hub", "name", "leader", "members", "online", "messages_ready", "messages_unacknowledged", "consumers"]),
                         ("consumers", ["list_consumers", "-p", "integration-hub"]),
                         ("channels", ["list_channels", "name", "number", "consumer_count", "messages_unacknowledged", "messages_unconfirmed", "confirm"]),
                         ("connections", ["list_connections", "name", "client_properties", "state", "channels"]),
                     })
            {
                string listed;
                try
                {
                    listed = await Run(new Dictionary<string, string>(), "rabbitmqctl", ["-n", node, .. arguments]);
                }
                catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
                {
                    listed = ex.Message;
                }

                await File.WriteAllTextAsync(Path.Combine(folder, $"{node}-{name}.txt"), listed);
            }
        }

        foreach (var node in Nodes)
        {
            var log = Path.Combine(_directory, node.Split('@')[0], "log");
            foreach (var file in Directory.Exists(log) ? Directory.GetFiles(log) : [])
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
            }
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Run(_environment, "bash", Path.Combine(Repository.Root, "infrastructure", "rabbitmq", "start-cluster.sh"), "stop");
        }
        finally
        {
            // A node that did not stop is not left behind.
            foreach (var node in Nodes.Where(n => !_killed.Contains(n)))
            {
                if (File.Exists(Path.Combine(_directory, node.Split('@')[0], "pid")) && await VmOf(node).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : 0) is > 0 and var pid)
                {
                    await KillVm(pid);
                }
            }

            Directory.Delete(_directory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<BrokerCluster>
{
    public const string Name = "faults on a three-node cluster of the suite's own";
}
