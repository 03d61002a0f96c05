using System.Net.Sockets;
using IntegrationHub.Platform;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.Cli;

/// <summary>
/// One bounded connection attempt before a command starts a host, so that an unreachable broker or a
/// refused login is said in one line, naming where and as whom, instead of after minutes of retries.
/// </summary>
internal static class BrokerProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Why the broker cannot be used with these settings, or null when it can.</summary>
    public static async Task<string?> Problem(BrokerSettings settings)
    {
        var where = $"RabbitMQ at {settings.Address} (vhost {settings.VirtualHost}) as user {settings.Username}";
        try
        {
            using var timeout = new CancellationTokenSource(Timeout + Timeout);
            await using var connection = await settings.Connect("probe-" + settings.Username, timeout.Token, Timeout);
            return null;
        }
        catch (BrokerUnreachableException ex) when (ex.InnerException is AuthenticationFailureException)
        {
            return $"{where}: the login was refused (check Broker:Username and Broker:Password)";
        }
        catch (BrokerUnreachableException ex)
        {
            return $"cannot reach {where}: {Reason(ex, settings)} (start it with infrastructure/rabbitmq/start-broker.sh, or set Broker:Host and Broker:Port)";
        }
        catch (Exception ex) when (ex is OperationCanceledException or OperationInterruptedException or SocketException)
        {
            return $"cannot reach {where}: {Reason(ex, settings)}";
        }
    }

    private static string Reason(Exception exception, BrokerSettings settings) => Innermost(exception) switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"connection refused at {settings.Address}",
        SocketException { SocketErrorCode: SocketError.TimedOut } or OperationCanceledException or TimeoutException =>
            $"no answer from {settings.Address} within {Timeout.TotalSeconds:0} s",
        var innermost => $"{innermost.Message} ({settings.Address})",
    };

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
