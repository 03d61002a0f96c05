using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationHub.Platform.Operations;

/// <summary>Ready only while the worker's consumer is attached to its company queue: a worker that stopped consuming does not look "running".</summary>
public sealed class CompanyQueueHealthCheck(CompanyQueueReceiver receiver, CompanyQueue queue) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(receiver.Consuming
            ? HealthCheckResult.Healthy($"consuming {queue.Name}")
            : HealthCheckResult.Unhealthy($"not consuming {queue.Name}" + (receiver.LastInterruption is { } reason ? $": {reason}" : " yet")));
}
