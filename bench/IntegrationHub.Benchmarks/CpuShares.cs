using System.Diagnostics;
using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Cores busy over an interval (from /proc/stat: all but idle and I/O wait) and how many of them the hub
/// process and this benchmark used; the rest is the broker and whatever else shares the machine.
/// </summary>
public sealed record CpuShares(double MachineBusyCores, double HubCores, double BenchCores)
{
    public sealed record Sample(long Timestamp, double BusySeconds, TimeSpan Hub, TimeSpan Bench);

    public static Sample Take(ChildProcess hub) =>
        new(Stopwatch.GetTimestamp(), BusySeconds(), hub.CpuTime(), Process.GetCurrentProcess().TotalProcessorTime);

    public static CpuShares Between(Sample start, Sample end)
    {
        var seconds = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        return new((end.BusySeconds - start.BusySeconds) / seconds, (end.Hub - start.Hub).TotalSeconds / seconds, (end.Bench - start.Bench).TotalSeconds / seconds);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{MachineBusyCores:0.00} of {Environment.ProcessorCount} cores busy: hub {HubCores:0.00}, benchmark {BenchCores:0.00}, broker and everything else {MachineBusyCores - HubCores - BenchCores:0.00}");

    // The "cpu" line: user nice system idle iowait irq softirq steal ..., in clock ticks (USER_HZ, 100 on Linux).
    private static double BusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields.Take(8).Sum() - fields[3] - fields[4];
        return busy / 100.0;
    }
}
