namespace IntegrationHub.Platform;

/// <summary>
/// How a process reaches the broker. Read from the "Broker" configuration section; RABBITMQ_URL
/// (amqp://host:port) overrides host and port, RABBITMQ_MANAGEMENT_PORT the management API's port. Passwords come from configuration or environment;
/// the defaults of the development broker are documented in docs/amqp-interface.md.
/// </summary>
public sealed class BrokerSettings
{
    public string Host { get; set; } = "127.0.0.1";

    public ushort Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = BrokerNames.VirtualHost;

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public ushort ManagementPort { get; set; } = 15672;

    /// <summary>The name the broker shows for this process's connection (for example <c>worker-pag</c>), so operations can tell processes apart.</summary>
    public string ConnectionName { get; set; } = "";

    /// <summary>
    /// The connection name of this process in a given role (<c>hub</c>, <c>worker-pag</c>, <c>client-pd</c>):
    /// role, machine and process id, so that operations can tell two processes of one company apart.
    /// </summary>
    public static string ProcessConnectionName(string role) => $"{role}@{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>
    /// Applies RABBITMQ_URL (scheme, host and port only; credentials stay per process) and
    /// RABBITMQ_MANAGEMENT_PORT (a second broker on one machine has its management API elsewhere too).
    /// </summary>
    public BrokerSettings WithEnvironment()
    {
        if (ushort.TryParse(Environment.GetEnvironmentVariable("RABBITMQ_MANAGEMENT_PORT"), out var managementPort))
        {
            ManagementPort = managementPort;
        }

        var url = Environment.GetEnvironmentVariable("RABBITMQ_URL");
        if (!string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            Host = uri.Host;
            if (uri.Port > 0)
            {
                Port = (ushort)uri.Port;
            }
        }

        return this;
    }

    /// <summary>The development settings for one broker user: password "&lt;user&gt;-dev", loopback only.</summary>
    public static BrokerSettings Development(string username) =>
        new BrokerSettings { Username = username, Password = username + "-dev" }.WithEnvironment();
}
