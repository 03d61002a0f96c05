using System.Text.Json;
using IntegrationHub.Hub.Persistence;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// Sends what the outbox holds, oldest first, and removes each row once the broker confirmed it.
/// Woken after every commit, and every few seconds anyway, so rows left by a stopped hub go out
/// after the restart. Each send has a bounded wait: a lost publisher confirm (ARCHITECTURE.md)
/// leaves the row for the next round instead of hanging the hub; receivers de-duplicate.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _wake = new(0);

    // One batch at a time in this process, however many callers: two would send the same rows twice.
    private readonly SemaphoreSlim _dispatching = new(1, 1);

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchBatch(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Outbox dispatch failed; retrying");
            }

            try
            {
                await _wake.WaitAsync(Idle, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends up to one batch; returns how many rows went out.</summary>
    public async Task<int> DispatchBatch(CancellationToken cancellationToken)
    {
        await _dispatching.WaitAsync(cancellationToken);
        try
        {
            return await DispatchOneBatch(cancellationToken);
        }
        finally
        {
            _dispatching.Release();
        }
    }

    private async Task<int> DispatchOneBatch(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IBus>();
        var rows = await db.Outbox.OrderBy(o => o.Id).Take(100).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var row in rows)
        {
            var type = Type.GetType(row.MessageType, throwOnError: true)!;
            var message = JsonSerializer.Deserialize(row.Body, type, SystemTextJsonMessageSerializer.Options)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(SendTimeout);
            try
            {
                if (row.Destination is null)
                {
                    await bus.Publish(message, type, timeout.Token);
                }
                else
                {
                    var endpoint = await bus.GetSendEndpoint(new Uri(row.Destination));
                    await endpoint.Send(message, type, timeout.Token);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                row.Attempts++;
                await db.SaveChangesAsync(cancellationToken);
                logger.LogWarning(ex, "Outbox message {OutboxId} ({MessageType}) for customer {CustomerId} not confirmed (attempt {Attempts})",
                    row.Id, type.Name, row.CustomerId, row.Attempts);
                return sent;
            }

            db.Outbox.Remove(row);
            await db.SaveChangesAsync(cancellationToken);
            sent++;
        }

        return sent;
    }
}
