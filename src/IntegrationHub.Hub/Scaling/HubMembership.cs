using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.UnitOfWork;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Scaling;

/// <summary>
/// Which hub processes run on this store now. Each renews a row of its own (a lease named
/// <c>member:&lt;id&gt;</c>, <see cref="OutboxLease"/>) every <see cref="HubOptions.MemberBeat"/>; a row
/// not renewed within <see cref="HubOptions.MemberTimeout"/> is a hub that has gone. The living hubs,
/// in the order of their ids, divide the partition queues between them (<see cref="Owns"/>) and the
/// first of them does the work one hub does for all (deadline reminders, scrubbing parked copies).
/// With Hub:Partitioned off this process beats nothing and counts as the only member.
/// Correctness never rests on this view being current: each partition queue has one active consumer
/// at the broker, so two hubs that both think they own a partition still take its messages one at a time.
/// </summary>
public sealed class HubMembership(IServiceScopeFactory scopes, HubWriter writer, HubOptions options, TimeProvider clock)
{
    private const string Prefix = "member:";
    private const string PartitionPrefix = "partition:";

    /// <summary>This process: machine and process for operators, a Guid for two hubs in one process (tests).</summary>
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>The living hubs at the last beat, in order; this process alone until then.</summary>
    public IReadOnlyList<string> Members { get; private set; } = [];

    /// <summary>
    /// Whether this hub does the once-for-all work: the first living hub; a hub that has not seen the
    /// others yet (before its first beat, or without partitions) does it too, which does no harm: a
    /// reminder or scrub done twice is the same as once.
    /// </summary>
    public bool IsLeader => Members.Count == 0 || Members[0] == Id;

    /// <summary>Whether this hub consumes the given partition queue, by its place among the living hubs.</summary>
    public bool Owns(int partition)
    {
        var place = Members.ToList().IndexOf(Id);
        return place >= 0 && partition % Members.Count == place;
    }

    /// <summary>Renews this hub's row, forgets rows long gone, and reads who lives now.</summary>
    public async Task<IReadOnlyList<string>> Beat(CancellationToken cancellationToken)
    {
        List<string> living = [];
        await InWriter(async (db, ct) =>
        {
            var now = clock.GetUtcNow();

            // A handful of rows: read them all and compare times here, the same way on every store.
            var rows = await db.OutboxLeases.Where(l => l.Name.StartsWith(Prefix)).ToListAsync(ct);
            var mine = rows.SingleOrDefault(r => r.Holder == Id);
            if (mine is null)
            {
                mine = new OutboxLease { Name = Prefix + Id, Holder = Id };
                db.OutboxLeases.Add(mine);
                rows.Add(mine);
            }

            mine.ExpiresAt = now + options.MemberTimeout;
            await db.SaveChangesAsync(ct);

            // Rows of hubs long gone, by name: two hubs deleting the same row at once both succeed.
            var gone = rows.Where(r => r.ExpiresAt < now - options.MemberTimeout).Select(r => r.Name).ToList();
            if (gone.Count > 0)
            {
                await db.OutboxLeases.Where(l => gone.Contains(l.Name)).ExecuteDeleteAsync(ct);
            }

            living = rows.Where(r => r.ExpiresAt >= now).Select(r => r.Holder).Order(StringComparer.Ordinal).ToList();
        }, cancellationToken);

        Members = living;
        return living;
    }

    /// <summary>
    /// Takes the claim on a partition queue (a lease row <c>partition:&lt;n&gt;</c>) if nobody living holds
    /// it. A hub consumes a partition only while it holds the claim, and gives the claim up only after
    /// it stopped consuming and every message it had taken from the queue was finished: the broker
    /// makes the next consumer active as soon as the first cancels, while messages the first still held
    /// would come back to the queue behind newer ones, out of order. A holder that is no longer living
    /// lost its connection, and with it the broker put back whatever it held, long before its row ran out.
    /// </summary>
    public async Task<bool> Claim(int partition, CancellationToken cancellationToken)
    {
        var claimed = false;
        await InWriter(async (db, ct) =>
        {
            var name = PartitionPrefix + partition;
            var claim = await db.OutboxLeases.SingleOrDefaultAsync(l => l.Name == name, ct);
            if (claim is null)
            {
                db.OutboxLeases.Add(new OutboxLease { Name = name, Holder = Id, ExpiresAt = clock.GetUtcNow() });
            }
            else if (claim.Holder == Id || !Members.Contains(claim.Holder))
            {
                // Only if nobody took it since we read it: two hubs whose views of the living differ
                // for a moment must not both come away with the claim.
                var now = clock.GetUtcNow();
                claimed = await db.OutboxLeases.Where(l => l.Name == name && l.Holder == claim.Holder)
                    .ExecuteUpdateAsync(set => set.SetProperty(l => l.Holder, Id).SetProperty(l => l.ExpiresAt, now), ct) == 1;
                return;
            }
            else
            {
                return;
            }

            await db.SaveChangesAsync(ct);
            claimed = true;
        }, cancellationToken);
        return claimed;
    }

    /// <summary>Gives up the claim on a partition queue that this hub no longer consumes.</summary>
    public Task Unclaim(int partition, CancellationToken cancellationToken) =>
        InWriter((db, ct) => db.OutboxLeases.Where(l => l.Name == PartitionPrefix + partition && l.Holder == Id).ExecuteDeleteAsync(ct), cancellationToken);

    /// <summary>Removes this hub's row on the way out, so the others take its partitions at their next beat.</summary>
    public async Task Leave(CancellationToken cancellationToken)
    {
        await InWriter((db, ct) => db.OutboxLeases.Where(l => l.Name == Prefix + Id).ExecuteDeleteAsync(ct), cancellationToken);
        Members = [];
    }

    // A short transaction of the store's writer on a context of its own.
    private async Task InWriter(Func<HubDbContext, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        await writer.Run(db, ct => work(db, ct), cancellationToken);
    }
}
