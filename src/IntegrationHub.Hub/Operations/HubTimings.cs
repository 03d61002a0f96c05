using System.Diagnostics.Metrics;
using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Operations;

/// <summary>
/// Where a message's time goes inside the hub, as histograms on the hub's meter (exposed on /metrics
/// when Ops:Port is set; without a listener a recording costs next to nothing): how old a capture is
/// when its unit of work starts, how long it waits in its partition, for the writer and for the commit,
/// how large the writer's groups are and how long their commit (fsync) takes, and for the outbox how
/// long a row waits before the dispatcher reads it, how long its send waits for the broker's confirm
/// and how long a dispatcher round takes. Durations in seconds; message type names only, no ids.
/// </summary>
public sealed class HubTimings
{
    /// <summary>Fine enough below 50 ms to tell a tail from the median, wide enough for a backlog.</summary>
    public static readonly double[] Seconds =
        [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600, 3600];

    private static readonly double[] Counts = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Histogram<double> _captureAge;
    private readonly Histogram<double> _received;
    private readonly Histogram<double> _writerWait;
    private readonly Histogram<double> _writerDone;
    private readonly Histogram<double> _groupSize;
    private readonly Histogram<double> _commit;
    private readonly Histogram<double> _outboxWait;
    private readonly Histogram<double> _outboxSend;
    private readonly Histogram<double> _outboxConfirmedAge;
    private readonly Histogram<double> _roundDuration;
    private readonly Histogram<double> _roundSize;

    public HubTimings(IMeterFactory meters)
    {
        var meter = meters.Create(HubMetrics.MeterName);
        Histogram<double> Duration(string name, string description) =>
            meter.CreateHistogram<double>(name, "s", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Seconds });
        Histogram<double> Count(string name, string description) =>
            meter.CreateHistogram<double>(name, "{message}", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Counts });

        _captureAge = Duration("hub.capture.age_at_start", "From a capture's capture time (the sender's clock) to the start of its unit of work: the broker, prefetch and partition wait");
        _received = Duration("hub.message.partition_wait", "From a delivery's receipt from the broker to the start of its unit of work (concurrency limit and the customer's partition), by message type");
        _writerWait = Duration("hub.writer.wait", "From a unit of work joining the writer's queue to its start in a transaction");
        _writerDone = Duration("hub.writer.duration", "From a unit of work joining the writer's queue to the commit of its group");
        _groupSize = Count("hub.writer.group_size", "Units of work committed together in one transaction");
        _commit = Duration("hub.writer.commit", "The commit of one group (with synchronous=FULL, its fsync)");
        _outboxWait = Duration("hub.outbox.wait", "From an outbox row's writing to the dispatcher reading it for sending");
        _outboxSend = Duration("hub.outbox.send", "From an outbox row's send to the broker's confirm");
        _outboxConfirmedAge = Duration("hub.outbox.age_at_confirm", "From an outbox row's writing to the broker's confirm of its message");
        _roundDuration = Duration("hub.outbox.round", "One dispatcher round: read the due rows, send them, record what was sent");
        _roundSize = Count("hub.outbox.round_size", "Rows read in one dispatcher round");
    }

    public void UnitStarted<T>(T message, TimeSpan sinceReceipt, DateTimeOffset now)
        where T : class
    {
        _received.Record(sinceReceipt.TotalSeconds, new KeyValuePair<string, object?>("message", typeof(T).Name));
        if (message is CustomerDataCaptured capture)
        {
            _captureAge.Record(Math.Max(0, (now - capture.CapturedAt).TotalSeconds));
        }
    }

    public void WriterWaited(TimeSpan wait) => _writerWait.Record(wait.TotalSeconds);

    public void WriterDone(TimeSpan sinceQueued) => _writerDone.Record(sinceQueued.TotalSeconds);

    public void Committed(int units, TimeSpan commit)
    {
        _groupSize.Record(units);
        _commit.Record(commit.TotalSeconds);
    }

    public void OutboxRead(DateTimeOffset createdAt, DateTimeOffset now) => _outboxWait.Record(Math.Max(0, (now - createdAt).TotalSeconds));

    public void OutboxConfirmed(TimeSpan send, DateTimeOffset createdAt, DateTimeOffset now)
    {
        _outboxSend.Record(send.TotalSeconds);
        _outboxConfirmedAge.Record(Math.Max(0, (now - createdAt).TotalSeconds));
    }

    public void OutboxRound(int rows, TimeSpan duration)
    {
        _roundSize.Record(rows);
        _roundDuration.Record(duration.TotalSeconds);
    }
}
