using RabbitMQ.Client;

namespace IntegrationHub.Platform;

/// <summary>
/// How a process reaches the broker. Read from the "Broker" configuration section; RABBITMQ_URL
/// (amqp://host:port, or amqp://host:port,host:port,… for the nodes of a cluster) overrides host and port,
/// RABBITMQ_MANAGEMENT_PORT the management API's port. Passwords come from configuration or environment;
/// the defaults of the development broker are documented in docs/amqp-interface.md.
/// </summary>
public sealed class BrokerSettings
{
    /// <summary>
    /// The broker's host, or the nodes of a cluster as a comma-separated list of <c>host:port</c>
    /// (a node without a port takes <see cref="Port"/>): the process connects to the first node that
    /// answers, in the order given, and, when it loses that one, to another.
    /// </summary>
    public string Host { get; set; } = "127.0.0.1";

    public ushort Port { get; set; } = 5672;

    /// <summary>The nodes given by <see cref="Host"/> and <see cref="Port"/>, in the order given: one for a single broker.</summary>
    public IReadOnlyList<(string Host, ushort Port)> Nodes =>
        Host.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } addresses
            ? [.. addresses.Select(Node)]
            : throw new FormatException("no broker address (Broker:Host or RABBITMQ_URL)");

    /// <summary>The nodes as RabbitMQ.Client endpoints.</summary>
    public IReadOnlyList<AmqpTcpEndpoint> Endpoints => [.. Nodes.Select(node => new AmqpTcpEndpoint(node.Host, node.Port))];

    /// <summary>
    /// A connection of this process's own, beside MassTransit's bus, under <paramref name="connectionName"/> in the
    /// broker's list, to the first node that answers, trying them in the order given (RabbitMQ.Client would
    /// shuffle them): like MassTransit's bus, which starts at the first node, so that a process's connections
    /// meet on one node and an operator spreads processes by giving them the list in other orders.
    /// RabbitMQ.Client's own recovery is off: each caller either reconnects in its own loop, one path for a lost
    /// connection, a closed channel and a cancelled consumer (the sequencer, the company-queue receiver, the
    /// partition check), or holds the connection for one piece of work (scrubbing, the probe, the dashboard's moves).
    /// </summary>
    public Task<IConnection> Connect(string connectionName, CancellationToken cancellationToken, TimeSpan? connectionTimeout = null)
    {
        var factory = new ConnectionFactory
        {
            VirtualHost = VirtualHost, UserName = Username, Password = Password, ClientProvidedName = connectionName,
            AutomaticRecoveryEnabled = false, RequestedHeartbeat = TimeSpan.FromSeconds(10),
        };
        if (connectionTimeout is { } timeout)
        {
            factory.RequestedConnectionTimeout = timeout;
        }

        return factory.CreateConnectionAsync(new InOrder(Endpoints), connectionName, cancellationToken);
    }

    /// <summary>Where the process connects, for log lines and messages: <c>host:port</c>, comma-separated for a cluster.</summary>
    public string Address => string.Join(',', Nodes.Select(node => $"{node.Host}:{node.Port}"));

    public string VirtualHost { get; set; } = BrokerNames.VirtualHost;

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public ushort ManagementPort { get; set; } = 15672;

    /// <summary>
    /// The management APIs to read, as a comma-separated list of <c>host:port</c> tried in order (a node that
    /// does not answer is passed over for the next); empty: the management API of each node of <see cref="Host"/>,
    /// on <see cref="ManagementPort"/>. Several nodes on one machine have their management APIs on other ports each.
    /// </summary>
    public string Management { get; set; } = "";

    /// <summary>The management APIs given by <see cref="Management"/>, or those of the nodes, in order.</summary>
    public IReadOnlyList<(string Host, ushort Port)> ManagementNodes =>
        Management.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } addresses
            ? [.. addresses.Select(address => Node(address, ManagementPort, "Broker:Management"))]
            : [.. Nodes.Select(node => node.Host).Distinct().Select(host => (host, ManagementPort))];

    /// <summary>The name the broker shows for this process's connection (for example <c>worker-pag</c>), so operations can tell processes apart.</summary>
    public string ConnectionName { get; set; } = "";

    /// <summary>
    /// The connection name of this process in a given role (<c>hub</c>, <c>worker-pag</c>, <c>client-pd</c>):
    /// role, machine and process id, so that operations can tell two processes of one company apart.
    /// </summary>
    public static string ProcessConnectionName(string role) => $"{role}@{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>
    /// Applies RABBITMQ_URL (host and port, or the list of a cluster's nodes, only; credentials stay per process) and
    /// RABBITMQ_MANAGEMENT_PORT (a second broker on one machine has its management API elsewhere too).
    /// </summary>
    public BrokerSettings WithEnvironment()
    {
        if (ushort.TryParse(Environment.GetEnvironmentVariable("RABBITMQ_MANAGEMENT_PORT"), out var managementPort))
        {
            ManagementPort = managementPort;
        }

        return WithUrl(Environment.GetEnvironmentVariable("RABBITMQ_URL"));
    }

    /// <summary>Takes host and port from a RABBITMQ_URL, or the list of a cluster's nodes (amqp://host:port,host:port,…); nothing when it is empty.</summary>
    public BrokerSettings WithUrl(string? url)
    {
        if (url?.Contains(',') == true && url.IndexOf("://", StringComparison.Ordinal) is > 0 and var scheme)
        {
            // The nodes of a cluster: amqp://host:port,host:port,…[/vhost]; credentials and vhost stay per process, as for one address.
            var authority = url[(scheme + 3)..].Split('/')[0];
            Host = authority[(authority.LastIndexOf('@') + 1)..];
        }
        else if (!string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            Host = uri.Host;
            if (uri.Port > 0)
            {
                Port = (ushort)uri.Port;
            }
        }

        return this;
    }

    private (string Host, ushort Port) Node(string address) => Node(address, Port, "Broker:Host or RABBITMQ_URL");

    private static (string Host, ushort Port) Node(string address, ushort defaultPort, string setting)
    {
        // host, host:port, an IPv6 address, or one in brackets with a port ([::1]:5672).
        var colon = address.LastIndexOf(':');
        if (colon < 0 || address.EndsWith(']') || (!address.StartsWith('[') && address.IndexOf(':') != colon))
        {
            return (address, defaultPort);
        }

        return ushort.TryParse(address[(colon + 1)..], out var port) && port > 0 && colon > 0
            ? (address[..colon], port)
            : throw new FormatException($"broker address '{address}' is not host or host:port ({setting})");
    }

    private sealed class InOrder(IReadOnlyList<AmqpTcpEndpoint> endpoints) : IEndpointResolver
    {
        public IEnumerable<AmqpTcpEndpoint> All() => endpoints;
    }

    /// <summary>The development settings for one broker user: password "&lt;user&gt;-dev", loopback only.</summary>
    public static BrokerSettings Development(string username) =>
        new BrokerSettings { Username = username, Password = username + "-dev" }.WithEnvironment();
}
