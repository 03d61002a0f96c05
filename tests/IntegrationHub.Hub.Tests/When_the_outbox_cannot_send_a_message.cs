using IntegrationHub.Hub.Persistence;

namespace IntegrationHub.Hub.Tests;

/// <summary>
/// Rows the dispatcher cannot send are parked with their reason and never hold up other rows. A
/// parked row no longer holds back its own customer's later rows either: it may never be sendable,
/// and a later command (an erasure) must not wait for an operator. A row that only failed to send
/// does hold them back until it is sent or parked, so one customer's messages keep their order.
/// </summary>
public sealed class When_the_outbox_cannot_send_a_message
{
    // A payload value that must never reach the stored reason.
    private const string FamilyName = "Mustermann";

    [Fact]
    public async Task Should_park_unknown_and_unreadable_rows_at_once_and_send_the_rows_behind_them()
    {
        await using var hub = await HubHarness.StartNew();
        var customer = Guid.NewGuid();
        var other = Guid.NewGuid();
        var later = OutboxRows.Command(customer);
        var otherCommand = OutboxRows.Command(other);
        // More unknown rows than one batch holds, ahead of everything: they once starved every other row.
        var strangers = Enumerable.Range(0, 210).Select(_ => Guid.NewGuid()).ToList();

        await hub.Stage((outbox, db) =>
        {
            foreach (var stranger in strangers)
            {
                db.Outbox.Add(Unsendable(stranger, "IntegrationHub.Contracts.RetiredMessage, IntegrationHub.Contracts", "{}"));
            }

            db.Outbox.Add(Unsendable(customer, "IntegrationHub.Contracts.RetiredMessage, IntegrationHub.Contracts", "{}"));
            db.Outbox.Add(Unsendable(customer, typeof(Contracts.LiftRestriction).AssemblyQualifiedName!, $$"""{"commandId": "{{FamilyName}}"}"""));
            outbox.Send(customer, OutboxRows.Pd, later);
            outbox.Send(other, OutboxRows.Pd, otherCommand);
        });
        hub.Dispatcher.Wake();

        var sent = await hub.Sent<Contracts.LiftRestriction>(_ => true, 2);
        Assert.Equal(new[] { later.CommandId, otherCommand.CommandId }.Order(), sent.Select(c => c.CommandId).Order());
        await HubHarness.Eventually(async () => (await hub.Overview()).Parked.Count == strangers.Count + 2, "every unsendable row parked");

        var overview = await hub.Overview();
        Assert.Equal(0, overview.Waiting);
        Assert.All(overview.Parked, p => Assert.Equal(1, p.Attempts));
        var rows = await hub.Rows(customer);
        Assert.Equal(2, rows.Count);
        Assert.Equal("message type RetiredMessage cannot be resolved in this hub", rows[0].LastError);
        Assert.StartsWith("body cannot be read as LiftRestriction: JsonException at $.commandId", rows[1].LastError);
        Assert.DoesNotContain(FamilyName, rows[1].LastError);
        Assert.Equal("RetiredMessage", overview.Parked.Single(p => p.Id == rows[0].Id).MessageType);
    }

    [Fact]
    public async Task Should_back_off_park_after_the_configured_attempts_and_send_again_when_released()
    {
        await using var hub = await HubHarness.StartNew(configure: options =>
        {
            options.OutboxMaxAttempts = 3;
            options.OutboxFirstRetryDelay = TimeSpan.FromSeconds(10);
        });
        var customer = Guid.NewGuid();
        var stuck = OutboxRows.Command(customer);
        var later = OutboxRows.Command(customer);
        var other = OutboxRows.Command(Guid.NewGuid());
        // The in-memory bus has no such host: every send to it fails, as to a broker that refuses it.
        var nowhere = new Uri("rabbitmq://elsewhere/integration-hub/company.gone");
        await hub.Stage((outbox, _) =>
        {
            outbox.Send(customer, nowhere, stuck);
            outbox.Send(customer, OutboxRows.Pd, later);
            outbox.Send(other.CustomerId, OutboxRows.Pd, other);
        });
        hub.Dispatcher.Wake();

        Assert.Single(await hub.Sent<Contracts.LiftRestriction>(c => c.CommandId == other.CommandId, 1));
        var delays = new List<TimeSpan> { await NextDelayAfterAttempt(1) };

        // A later round sends a new row of a third customer, and still not the stuck customer's later row.
        var third = OutboxRows.Command(Guid.NewGuid());
        await hub.Stage((outbox, _) => outbox.Send(third.CustomerId, OutboxRows.Pd, third));
        hub.Dispatcher.Wake();
        Assert.Single(await hub.Sent<Contracts.LiftRestriction>(c => c.CommandId == third.CommandId, 1));
        Assert.DoesNotContain(later.CommandId, hub.SentCommands());

        hub.Clock.Advance(delays[0]);
        hub.Dispatcher.Wake();
        delays.Add(await NextDelayAfterAttempt(2));
        Assert.Equal(new[] { TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20) }, delays);

        hub.Clock.Advance(delays[1]);
        hub.Dispatcher.Wake();
        Assert.Single(await hub.Sent<Contracts.LiftRestriction>(c => c.CommandId == later.CommandId, 1));
        var parked = Assert.Single((await hub.Overview()).Parked);
        // The later row is removed in the round's closing transaction, after its send was seen.
        await hub.Settled(_ => true, customer, "the later row removed once sent");
        var row = (await hub.Rows(customer)).Single();
        Assert.Equal(row.Id, parked.Id);
        Assert.Equal(("LiftRestriction", nowhere.ToString(), 3, HubHarness.Start + TimeSpan.FromSeconds(30)),
            (parked.MessageType, parked.Destination, parked.Attempts, parked.ParkedAt));
        Assert.Contains("Exception", parked.Reason);
        Assert.DoesNotContain(stuck.CommandId, hub.SentCommands());

        Assert.True(await hub.Query(db => new Sagas.OutboxDesk(db).Release(row.Id)));
        Assert.False(await hub.Query(db => new Sagas.OutboxDesk(db).Release(row.Id)));
        hub.Dispatcher.Wake();
        await HubHarness.Eventually(async () => (await hub.Rows(customer)).Single() is { ParkedAt: null, Attempts: 1 }, "the released row tried again");
        Assert.Equal((1, 0), ((await hub.Overview()).Waiting, (await hub.Overview()).Parked.Count));

        async Task<TimeSpan> NextDelayAfterAttempt(int attempt)
        {
            await HubHarness.Eventually(async () => (await hub.Rows(customer))[0].Attempts == attempt, $"attempt {attempt} recorded");
            var failed = (await hub.Rows(customer))[0];
            Assert.Null(failed.ParkedAt);
            return failed.NextAttemptAt!.Value - hub.Clock.GetUtcNow();
        }
    }

    private static OutboxRow Unsendable(Guid customer, string messageType, string body) => new()
    {
        CustomerId = customer, Destination = OutboxRows.Pd.ToString(), MessageType = messageType, Body = body, CreatedAt = HubHarness.Start,
    };
}
