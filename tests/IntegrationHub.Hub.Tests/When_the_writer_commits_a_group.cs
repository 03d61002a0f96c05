using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.UnitOfWork;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests;

/// <summary>
/// The store's one writer commits waiting units of work together: one that fails is rolled back alone
/// and its caller gets the failure, the others are committed, and nobody hears of success before the
/// commit that makes its unit durable.
/// </summary>
public sealed class When_the_writer_commits_a_group
{
    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Should_roll_back_only_the_failing_units_and_commit_the_rest_together(TestStore store)
    {
        await using var hub = await HubHarness.StartNew(store: store);
        var writer = hub.Services.GetRequiredService<HubWriter>();
        var scopes = Enumerable.Range(0, 6).Select(_ => hub.Services.CreateAsyncScope()).ToList();
        var keys = scopes.Select(_ => Guid.NewGuid()).ToList();

        // The first unit holds the writer until the others are queued behind it, so they form the next group together.
        var release = new TaskCompletionSource();
        var first = writer.Run(Db(scopes[0]), async ct =>
        {
            await release.Task.WaitAsync(ct);
            Add(Db(scopes[0]), keys[0]);
            await Db(scopes[0]).SaveChangesAsync(ct);
        }, CancellationToken.None);
        var rest = Enumerable.Range(1, 5).Select(i => writer.Run(Db(scopes[i]), async ct =>
        {
            Add(Db(scopes[i]), keys[i]);
            if (i == 4)
            {
                // A statement the database refuses (unit 1's key again): PostgreSQL then refuses every
                // further statement of the transaction until it is rolled back to the unit's savepoint.
                Add(Db(scopes[i]), keys[1]);
            }

            await Db(scopes[i]).SaveChangesAsync(ct);
            if (i == 3)
            {
                throw new InvalidOperationException("unit 3 fails after writing");
            }
        }, CancellationToken.None)).ToList();
        release.SetResult();

        await first;
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => rest[2]);
        Assert.Equal("unit 3 fails after writing", failure.Message);
        await Assert.ThrowsAsync<DbUpdateException>(() => rest[3]);
        await Task.WhenAll(rest.Where((_, i) => i is not (2 or 3)));

        var stored = await hub.Query(db => db.Inbox.Where(m => keys.Contains(m.MessageId)).Select(m => m.MessageId).ToListAsync());
        Assert.Equal(keys.Where((_, i) => i is not (3 or 4)).Order(), stored.Order());
        foreach (var scope in scopes)
        {
            await scope.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Should_not_report_success_before_the_commit_is_visible_to_another_connection(TestStore store)
    {
        await using var hub = await HubHarness.StartNew(store: store);
        var writer = hub.Services.GetRequiredService<HubWriter>();
        await using var scope = hub.Services.CreateAsyncScope();
        var key = Guid.NewGuid();

        await writer.Run(Db(scope), async ct =>
        {
            Add(Db(scope), key);
            await Db(scope).SaveChangesAsync(ct);

            // Inside the unit the row is written but not committed: a reader on its own connection cannot see it.
            Assert.False(await hub.Query(db => db.Inbox.AnyAsync(m => m.MessageId == key, ct)));
        }, CancellationToken.None);

        Assert.True(await hub.Query(db => db.Inbox.AnyAsync(m => m.MessageId == key)));
    }

    private static HubDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<HubDbContext>();

    private static void Add(HubDbContext db, Guid key) =>
        db.Inbox.Add(new ProcessedMessage { MessageId = key, Kind = "test", ProcessedAt = HubHarness.Start });
}
