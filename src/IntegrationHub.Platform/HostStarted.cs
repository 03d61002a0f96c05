using Microsoft.Extensions.Hosting;

namespace IntegrationHub.Platform;

/// <summary>For background work that needs the bus, which runs once every hosted service has started.</summary>
public static class HostStarted
{
    /// <summary>Completes when the host has started every hosted service (or throws when stopping comes first).</summary>
    public static Task WhenStarted(this IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }
}
