using System.Diagnostics;

namespace IntegrationHub.IntegrationTests;

/// <summary>The `hub` command line as a separate process, pointed at the tests' broker.</summary>
public static class HubCommand
{
    public static async Task<(int ExitCode, string Output, string Errors)> Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RABBITMQ_URL"] = $"amqp://{Broker.Settings("pd").Host}:{Broker.Settings("pd").Port}";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}

/// <summary>A `hub` process left running (serve, worker), every line it writes collected, killed when disposed.</summary>
public sealed class RunningHubCommand : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, int Count, TaskCompletionSource Seen)> _waits = [];

    private RunningHubCommand(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => Collect(line.Data);
        _process.ErrorDataReceived += (_, line) => Collect(line.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>What it wrote so far, standard output and error together, in arrival order.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    /// <summary>Starts `hub` with the arguments; environment entries override the tests' own.</summary>
    public static RunningHubCommand Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new RunningHubCommand(start);
    }

    /// <summary>Waits until <paramref name="count"/> lines have matched.</summary>
    public Task UntilLines(Func<string, bool> match, int count, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            if (_lines.Count(match) >= count)
            {
                seen.TrySetResult();
            }
            else
            {
                _waits.Add((match, count, seen));
            }
        }

        return seen.Task.WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
            foreach (var wait in _waits.Where(w => _lines.Count(w.Match) >= w.Count).ToList())
            {
                wait.Seen.TrySetResult();
                _waits.Remove(wait);
            }
        }
    }
}
