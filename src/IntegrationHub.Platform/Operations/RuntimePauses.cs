using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.Platform.Operations;

/// <summary>
/// What stops a process's work from running although it is ready: every garbage collection's pause
/// (from the runtime's suspend to its restart, read from its GC events) and how late a work item queued
/// to the thread pool starts (one every 100 ms). Histograms on the meter <see cref="MeterName"/>,
/// served on /metrics with the process's own; in seconds.
/// </summary>
public sealed class RuntimePauses : IHostedService, IDisposable
{
    public const string MeterName = "IntegrationHub.Runtime";

    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(100);
    private static readonly double[] Seconds = [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1];

    private readonly Histogram<double> _gcPause;
    private readonly Histogram<double> _threadPoolDelay;
    private readonly CancellationTokenSource _stop = new();
    private GcListener? _listener;
    private Thread? _probe;

    public RuntimePauses(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = Seconds };
        _gcPause = meter.CreateHistogram("runtime.gc.pause", "s", "Each garbage collection's pause: from suspending the process's threads to restarting them", advice: advice);
        _threadPoolDelay = meter.CreateHistogram("runtime.threadpool.delay", "s", "How late a work item queued to the thread pool starts (probed every 100 ms)", advice: advice);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new GcListener(_gcPause);
        _probe = new Thread(Probe) { IsBackground = true, Name = "thread pool probe" };
        _probe.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    // The probe ends within one round once cancelled; it is waited for so that it never sees the token disposed.
    private void Stop()
    {
        _stop.Cancel();
        _probe?.Join();
        _listener?.Dispose();
    }

    private void Probe()
    {
        while (!_stop.Token.WaitHandle.WaitOne(ProbeEvery))
        {
            var queued = Stopwatch.GetTimestamp();
            ThreadPool.UnsafeQueueUserWorkItem(q => _threadPoolDelay.Record(Stopwatch.GetElapsedTime(q).TotalSeconds), queued, preferLocal: false);
        }
    }

    /// <summary>The runtime's GC events (keyword GC, informational): a pause runs from GCSuspendEEBegin to GCRestartEEEnd.</summary>
    private sealed class GcListener(Histogram<double> pauses) : EventListener
    {
        private const int RestartEnd = 3;
        private const int SuspendBegin = 9;
        private DateTime? _suspended;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            switch (e.EventId)
            {
                case SuspendBegin:
                    _suspended = e.TimeStamp;
                    break;
                case RestartEnd when _suspended is { } at:
                    pauses?.Record((e.TimeStamp - at).TotalSeconds);
                    _suspended = null;
                    break;
            }
        }
    }
}
