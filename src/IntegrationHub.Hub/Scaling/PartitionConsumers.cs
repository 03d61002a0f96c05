using IntegrationHub.Platform;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace IntegrationHub.Hub.Scaling;

/// <summary>
/// Asks the broker how many consumers a partition queue has, by a passive declare on a connection of its
/// own (<c>hub@host/pid/partition-check</c>). A hub that holds a partition's claim consumes it, so the
/// broker shows a consumer there; none at several beats in a row means the endpoint's consumer is gone
/// without MassTransit bringing it back (seen after a node of the cluster was killed: the hub's
/// connection recovered, one endpoint's consumer did not), and <see cref="HubPartitions"/> starts the
/// endpoint again. Nothing but queue names and counts is read or logged.
/// </summary>
public sealed class PartitionConsumers(BrokerSettings broker, ILogger<PartitionConsumers> logger) : IAsyncDisposable
{
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>The queue's consumers now, or null when the broker could not be asked.</summary>
    public async Task<uint?> Of(string queue, CancellationToken cancellationToken)
    {
        try
        {
            if (_channel is not { IsOpen: true })
            {
                await DisposeAsync();
                _connection = await broker.Connect(BrokerSettings.ProcessConnectionName("hub") + "/partition-check", cancellationToken);
                _channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
            }

            var declared = await _channel.QueueDeclarePassiveAsync(queue, cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            return declared.ConsumerCount;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("Could not count the consumers of {Queue} ({Error})", queue, ex.GetType().Name);
            await DisposeAsync();
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        var (channel, connection) = (_channel, _connection);
        (_channel, _connection) = (null, null);
        foreach (var disposable in new IAsyncDisposable?[] { channel, connection })
        {
            try
            {
                if (disposable is not null)
                {
                    await disposable.DisposeAsync();
                }
            }
            catch (Exception)
            {
                // Already gone with the broker; a new connection is made at the next count.
            }
        }
    }
}
