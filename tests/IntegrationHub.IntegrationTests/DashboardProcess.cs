using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The operations dashboard as it runs in production: its own process (hub-ops), on a free loopback
/// port, against the real broker (RABBITMQ_URL and RABBITMQ_MANAGEMENT_PORT pass through) and a hub's store.
/// </summary>
public sealed partial class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DashboardProcess(Process process, string address, string token)
    {
        _process = process;
        Address = address;
        Token = token;
    }

    public string Address { get; }

    public string Token { get; }

    /// <summary>Starts the dashboard; <paramref name="settings"/> are further command-line settings (<c>--Section:Key=value</c>).</summary>
    public static async Task<DashboardProcess> Start(string hubDatabasePath, params string[] settings)
    {
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Assembly());
        start.ArgumentList.Add($"--Ops:Token={token}");
        start.ArgumentList.Add($"--Ops:DatabasePath={hubDatabasePath}");
        start.ArgumentList.Add("--Ops:Urls=http://127.0.0.1:0");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) =>
        {
            output.Enqueue(line.Data ?? "");
            if (line.Data is not null && Listening().Match(line.Data) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the dashboard stopped: " + string.Join('\n', output)));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new DashboardProcess(process, (await listening.Task.WaitAsync(TimeSpan.FromSeconds(30))).TrimEnd('/'), token);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>The dashboard's own build output, named by this project's build (it is built as a project reference).</summary>
    private static string Assembly() =>
        typeof(DashboardProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DashboardAssembly").Value!;

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
