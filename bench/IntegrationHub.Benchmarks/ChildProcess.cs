using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// A hub or worker running as its own process (this executable in a host mode, see <see cref="BenchHost"/>),
/// so that its CPU time and peak memory can be read from /proc without counting the load generator.
/// Its output goes to a log file next to its store.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    private static readonly List<ChildProcess> Started = [];

    private const string ChildPrefix = "BENCH_CHILD_ENV_";

    public int Id => _process.Id;

    /// <summary>Kills every process this run started that still runs: the watchdog's last resort when a phase hangs.</summary>
    public static void KillAll()
    {
        lock (Started)
        {
            foreach (var child in Started.Where(c => !c.HasExited))
            {
                child._process.Kill(entireProcessTree: true);
            }
        }
    }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string logPath, params string[] hostArguments)
    {
        var self = Environment.ProcessPath ?? throw new BenchmarkFailure("cannot tell which executable is running");
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            arguments.Add(typeof(ChildProcess).Assembly.Location);
        }

        arguments.Add("--host");
        arguments.AddRange(hostArguments);

        // exec keeps the process id: the id we read /proc of is the host itself, not a shell.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$BENCH_CHILD_LOG\" 2>&1");
        start.ArgumentList.Add(self);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BENCH_CHILD_LOG"] = logPath;

        // Runtime settings for the measured processes only, not the benchmark's own (e.g.
        // BENCH_CHILD_ENV_DOTNET_gcServer=1 gives the hub and workers server GC).
        foreach (var (name, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                     .Select(e => ((string)e.Key, (string?)e.Value)).Where(e => e.Item1.StartsWith(ChildPrefix, StringComparison.Ordinal)))
        {
            start.Environment[name[ChildPrefix.Length..]] = value;
        }
        var process = Process.Start(start) ?? throw new BenchmarkFailure("could not start " + string.Join(' ', hostArguments));
        var child = new ChildProcess(process, logPath);
        lock (Started)
        {
            Started.Add(child);
        }

        return child;
    }

    /// <summary>User plus system CPU time of the process so far (utime and stime of /proc/pid/stat).</summary>
    public TimeSpan CpuTime() => CpuTime(Id);

    /// <summary>User plus system CPU time so far of any process this one may read.</summary>
    internal static TimeSpan CpuTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");

        // The command name (field 2) is in parentheses and may hold spaces; fields count from after it.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ClockTicksPerSecond);
    }

    /// <summary>
    /// User plus system CPU time so far of the PostgreSQL server's backends connected to <paramref name="database"/> (their /proc entries,
    /// "postgres: user database …"); the server's shared processes (WAL writer, checkpointer) are not in it, nor
    /// backends that ended in between. Zero when the server runs where this process cannot see it.
    /// </summary>
    public static TimeSpan PostgresBackendsCpuTime(string database)
    {
        var total = TimeSpan.Zero;
        foreach (var process in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)))
        {
            try
            {
                var command = File.ReadAllText($"/proc/{process}/cmdline").Replace('\0', ' ');
                if (command.StartsWith("postgres: ", StringComparison.Ordinal) && command.Contains($" {database} ", StringComparison.Ordinal))
                {
                    total += CpuTime(int.Parse(process!, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read.
            }
        }

        return total;
    }

    /// <summary>Peak resident set size so far (VmHWM of /proc/pid/status), in MB.</summary>
    public double PeakRssMb() => StatusKb("VmHWM:") / 1024.0;

    public double RssMb() => StatusKb("VmRSS:") / 1024.0;

    private long StatusKb(string key)
    {
        var line = File.ReadLines($"/proc/{Id}/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    public string LogTail(int lines = 15)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(LogPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Stops the process as a service manager would (SIGTERM), then kills it if it does not end in time.</summary>
    public async Task Stop(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SendSignal(_process.Id, 15);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stop(TimeSpan.FromSeconds(20));
        lock (Started)
        {
            Started.Remove(this);
        }

        _process.Dispose();
    }

    private static readonly long ClockTicksPerSecond = SysConf(2) is > 0 and var ticks ? ticks : 100;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int pid, int signal);

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);
}
