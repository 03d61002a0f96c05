using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.UnitOfWork;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// The lease that lets one <see cref="OutboxDispatcher"/> per store send: taken when free or expired,
/// renewed when ours, in one short transaction of the store's writer. Two hubs cannot both take it on
/// either engine, because the write that takes it is a compare and swap: the row is inserted only if
/// there is none (INSERT … ON CONFLICT DO NOTHING), or replaced only if it still holds the holder and
/// expiry that were read. On SQLite the writer's BEGIN IMMEDIATE already keeps other hub processes out
/// from the read to the commit; on PostgreSQL, where hub processes write beside each other, the second
/// of two concurrent writes waits for the first's commit (the row lock of its UPDATE or INSERT), then
/// finds the row changed and takes nothing.
/// </summary>
public sealed class DispatcherLease(TimeProvider clock)
{
    public const string OutboxName = "outbox";

    // A batch starts no send after OutboxDispatcher.BatchBudget (30 s) and waits at most one send
    // timeout (15 s) for the last one, so a live holder renews at least every 45 s or so. Two minutes
    // leaves room for a busy database on top without the lease lapsing under a working holder (which
    // would let a second hub send the same rows); a crashed holder's rows wait at most this long.
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);

    /// <summary>This dispatcher's instance id: machine and process for operators, a Guid for two dispatchers in one process.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    // Until when the lease is surely ours without asking the store: a lease renewed less than a quarter
    // of its duration ago still has more time left than a batch can take, so a batch needs no write
    // transaction of its own just to renew it.
    private DateTimeOffset _surelyOursUntil = DateTimeOffset.MinValue;

    public async Task<bool> TakeOrRenew(HubWriter writer, HubDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _surelyOursUntil)
        {
            return true;
        }

        var taken = false;
        await writer.Run(db, async ct => taken = await TakeOrRenew(db, ct), cancellationToken);
        _surelyOursUntil = taken ? now + Duration / 4 : DateTimeOffset.MinValue;
        return taken;
    }

    private async Task<bool> TakeOrRenew(HubDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ours = new OutboxLease { Name = OutboxName, Holder = Holder, ExpiresAt = now + Duration };
        var lease = (await db.Rows.Where<OutboxLease>(cancellationToken, (nameof(OutboxLease.Name), OutboxName))).SingleOrDefault();
        if (lease is null)
        {
            return await db.Rows.InsertIfAbsent(ours, cancellationToken);
        }

        if (lease.Holder == Holder || lease.ExpiresAt <= now || HolderIsGone(lease.Holder))
        {
            return await db.Rows.UpdateIf(ours, cancellationToken,
                (nameof(OutboxLease.Holder), lease.Holder), (nameof(OutboxLease.ExpiresAt), lease.ExpiresAt));
        }

        return false;
    }

    /// <summary>
    /// A holder on this machine whose process no longer runs has crashed: its lease need not run out
    /// before a restarted hub sends what the crashed one had committed. A holder on another machine
    /// cannot be checked from here; its lease runs out.
    /// </summary>
    private static bool HolderIsGone(string holder)
    {
        var parts = holder.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var processId) || processId == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>Gives the lease up if we hold it, so another hub on the store takes over at once instead of after it runs out.</summary>
    public Task Release(HubDbContext db, CancellationToken cancellationToken)
    {
        _surelyOursUntil = DateTimeOffset.MinValue;
        return db.OutboxLeases.Where(l => l.Name == OutboxName && l.Holder == Holder).ExecuteDeleteAsync(cancellationToken);
    }
}
