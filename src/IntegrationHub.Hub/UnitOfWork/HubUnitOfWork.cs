using System.Diagnostics;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.UnitOfWork;

/// <summary>
/// One unit of work for every message the hub consumes, whichever saga or consumer handles it (the
/// shape of MassTransit's own EF Core outbox filter): in the store's one writer (<see cref="HubWriter"/>),
/// check and write the inbox, run the handler, commit the state, audit and outbox rows it added
/// together, and only then let the outbox send. A redelivered message finds its inbox row and has no second effect; a crash before the
/// commit leaves nothing, a crash after it leaves outbox rows that the dispatcher sends after the restart.
/// </summary>
public sealed class HubUnitOfWork<T>(HubDbContext db, HubWriter writer, OutboxDispatcher dispatcher, HubOptions options, TimeProvider clock, Operations.HubTimings timings, ILogger<HubUnitOfWork<T>> logger)
    : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        timings.UnitStarted(context.Message, context.ReceiveContext.ElapsedTime, clock.GetUtcNow());
        var key = MessageKeys.Of(context);
        var digest = MessageKeys.DigestOf(context.Message);
        var duplicate = false;

        // The writer runs this in its next transaction, with whatever other messages wait beside it,
        // and returns after the commit: the write lock is held from the inbox check to the commit, so
        // what the handler reads cannot change under it.
        await writer.Run(db, async cancellationToken =>
        {
            // A retry runs in the same scope: forget whatever the failed attempt had tracked.
            db.Forget();
            if ((await db.Rows.Where<ProcessedMessage>(cancellationToken, (nameof(ProcessedMessage.MessageId), key))).SingleOrDefault() is { } seen)
            {
                if (seen.Digest is not null && seen.Digest != digest)
                {
                    // Not a repeat: the sender reused an id for another message, which would otherwise vanish unseen.
                    throw new Platform.InvalidMessageException($"{typeof(T).Name} refused: its id was used before for a different message; give each message an id of its own");
                }

                duplicate = true;
                return;
            }

            await next.Send(context);
            await db.Rows.Insert([new ProcessedMessage { MessageId = key, Kind = typeof(T).Name, ProcessedAt = clock.GetUtcNow(), Digest = digest }], cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }, context.CancellationToken);

        if (duplicate)
        {
            logger.LogInformation("{MessageType} {MessageKey} was handled before; duplicate ignored", typeof(T).Name, key);

            // Handled, not unhandled: without this MassTransit would move the duplicate to the skipped queue.
            await context.NotifyConsumed(context, TimeSpan.Zero, "hub.inbox");
            return;
        }

        if (options.KillAfterCommitOf == typeof(T).Name)
        {
            // Fault injection for the crash tests: die like a power cut between commit and send.
            logger.LogCritical("Killing the hub after committing {MessageType}, before its outbox is sent (Hub:KillAfterCommitOf)", typeof(T).Name);
            Process.GetCurrentProcess().Kill();
        }

        dispatcher.Wake();
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("hubUnitOfWork");
}
