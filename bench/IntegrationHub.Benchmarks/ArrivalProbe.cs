using System.Collections.Concurrent;
using System.Text.Json;
using IntegrationHub.Platform;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Reads the company queues the hub delivers to (as the hub's user, which may read them; no worker runs
/// in these phases) and notes, per capture, when each copy arrived. A capture has arrived when all its
/// copies have; its latency runs from its capture time (set when it was published) to its last copy.
/// Each delivery is counted once, by its delivery id.
/// </summary>
public sealed class ArrivalProbe : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly List<IChannel> _channels = [];
    private readonly int _copiesPerCapture;
    private readonly ConcurrentDictionary<Guid, byte> _deliveries = new();
    private readonly ConcurrentDictionary<Guid, Arrival> _captures = new();
    private int _completed;

    private ArrivalProbe(IConnection connection, int copiesPerCapture)
    {
        _connection = connection;
        _copiesPerCapture = copiesPerCapture;
    }

    private sealed class Arrival
    {
        public int Copies;
        public DateTimeOffset CapturedAt;
        public DateTimeOffset Last;
    }

    /// <summary>Distinct deliveries seen so far.</summary>
    public int Deliveries => _deliveries.Count;

    /// <summary>Captures all of whose copies have arrived.</summary>
    public int Completed => Volatile.Read(ref _completed);

    public static async Task<ArrivalProbe> Start(IReadOnlyCollection<string> companies)
    {
        var probe = new ArrivalProbe(await Broker.Factory("hub").CreateConnectionAsync(), companies.Count);
        foreach (var company in companies)
        {
            var channel = await probe._connection.CreateChannelAsync();
            await channel.BasicQosAsync(0, 500, false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                probe.Note(delivery, DateTimeOffset.UtcNow);
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(BrokerNames.CompanyQueue(company), autoAck: true, consumer);
            probe._channels.Add(channel);
        }

        return probe;
    }

    private void Note(BasicDeliverEventArgs delivery, DateTimeOffset now)
    {
        using var body = JsonDocument.Parse(delivery.Body);
        var root = body.RootElement;
        if (!root.TryGetProperty("deliveryId", out var deliveryId) || !root.TryGetProperty("captureId", out var captureId) ||
            !_deliveries.TryAdd(deliveryId.GetGuid(), 0))
        {
            return;
        }

        var arrival = _captures.GetOrAdd(captureId.GetGuid(), _ => new Arrival { CapturedAt = root.GetProperty("capturedAt").GetDateTimeOffset() });
        lock (arrival)
        {
            arrival.Last = now;
            if (++arrival.Copies == _copiesPerCapture)
            {
                Interlocked.Increment(ref _completed);
            }
        }
    }

    /// <summary>Latency in ms of the capture, or null while a copy is missing.</summary>
    public double? LatencyMs(Guid captureId)
    {
        if (!_captures.TryGetValue(captureId, out var arrival))
        {
            return null;
        }

        lock (arrival)
        {
            return arrival.Copies >= _copiesPerCapture ? (arrival.Last - arrival.CapturedAt).TotalMilliseconds : null;
        }
    }

    /// <summary>Waits until this many captures have arrived in full.</summary>
    public async Task WaitForCompleted(int count, CancellationToken cancellationToken, string what)
    {
        while (Completed < count)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new BenchmarkFailure($"{what}: {Completed} of {count} captures reached the company queues in time");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            await channel.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }
}
