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

    // One customer's messages go out in the order they were decided (a delivery before a later
    // erasure command), different customers' messages side by side; the rows that were confirmed
    // are removed in one transaction.
    private async Task<int> DispatchOneBatch(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IBus>();
        var rows = await db.Outbox.OrderBy(o => o.Id).Take(200).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        var sent = new System.Collections.Concurrent.ConcurrentBag<OutboxRow>();
        var failed = new System.Collections.Concurrent.ConcurrentBag<OutboxRow>();
        await Task.WhenAll(rows.GroupBy(r => r.CustomerId).Select(async customer =>
        {
            foreach (var row in customer)
            {
                if (await TrySend(bus, row, cancellationToken))
                {
                    sent.Add(row);
                }
                else
                {
                    failed.Add(row);
                    return;
                }
            }
        }));

        db.Outbox.RemoveRange(sent);
        foreach (var row in failed)
        {
            row.Attempts++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return failed.IsEmpty ? sent.Count : 0;
    }

    private async Task<bool> TrySend(IBus bus, OutboxRow row, CancellationToken cancellationToken)
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

            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Outbox message {OutboxId} ({MessageType}) for customer {CustomerId} not confirmed (attempt {Attempts})",
                row.Id, type.Name, row.CustomerId, row.Attempts + 1);
            return false;
        }
    }
}
