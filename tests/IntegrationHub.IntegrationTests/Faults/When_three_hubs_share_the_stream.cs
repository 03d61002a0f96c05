using System.Collections.Concurrent;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Platform;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 10: three hub processes on one PostgreSQL database share hub.inbound through the partition
/// queues: one of them is killed in the middle of the stream and of an erasure fan-out, and the other
/// two take its partitions; a third joins in the middle of a stream of consents, captures and
/// withdrawals, and every customer's messages still take effect in their publish order.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_three_hubs_share_the_stream(OwnBroker broker, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_carry_out_every_confirmed_capture_and_erasure_exactly_once_while_one_hub_is_killed()
    {
        await using var world = await FaultWorld.Start(broker, hubs: 3, onPostgres: true);
        await Eventually.Until(() => Task.FromResult(Sharing(world, 3, since: 0)), "each of the three hubs consuming partitions of their own", 60);

        // The first hub started is the active consumer of hub.inbound, the one that forwards: killed,
        // a standby takes over forwarding, and the other two take its partitions.
        await world.StreamThrough(300, () => world.UntilRouted(75), async () =>
        {
            var before = world.HubOutput.Count;
            await world.KillHub(0);
            await Eventually.Until(() => Task.FromResult(Sharing(world, 2, before)), "the two hubs left taking the killed one's partitions", 60);
        });
        await world.Pd.Erase(world.Pd.Confirmed.Values.Take(60));
        await world.AssertEveryConfirmedCaptureTookEffectExactlyOnce();
        output.WriteLine(world.Summary);
    }

    /// <summary>
    /// With one hub through the partition queues, with two, and with a third joining mid-stream. (One hub consuming hub.inbound itself,
    /// Hub:Partitioned off, handled 1 to 3 of 120 customers' messages out of order here.)
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Should_take_each_customer_s_messages_in_the_order_they_were_published(int hubs)
    {
        // With three, the third joins in the middle of the stream: partitions move from the two to it
        // while messages flow.
        var starting = Math.Min(hubs, 2);
        await using var world = await FaultWorld.Start(broker, workers: false, hubs: starting, onPostgres: hubs > 1);
        if (starting > 1)
        {
            await Eventually.Until(() => Task.FromResult(Sharing(world, starting, since: 0)), "each hub consuming partitions of its own", 60);
        }

        // Many customers at once; each customer's consent, capture, withdrawal and second capture one
        // after another, each published after the broker confirmed the one before (docs/amqp-interface.md):
        // the first capture must see the consent, the second must see the withdrawal. Taken out of
        // order by two hubs, the first would be withheld for missing consent, or the second forwarded.
        const int customers = 120;
        var captures = new ConcurrentDictionary<Guid, (Guid First, Guid Second)>();
        var published = new ConcurrentDictionary<Guid, Guid[]>();
        await using var pd = await world.Broker.Connect("pd");
        await using var opNord = await world.Broker.Connect("op-nord");
        async Task OneCustomer()
        {
            var customer = Guid.NewGuid();
            await using var asPd = await Broker.Channel(pd);
            await using var asOpNord = await Broker.Channel(opNord);
            var given = Guid.NewGuid();
            var withdrawn = Guid.NewGuid();
            await Publish(asOpNord, "op-nord", "inbound.consent-given", given, new ConsentGiven
            {
                ConsentId = given, CustomerId = customer, Channel = ConsentChannel.Dealer, WordingVersion = "2026-03",
                CapturedBy = "OP-NORD", GivenAt = DateTimeOffset.UtcNow,
            });
            var first = ProfileCapture(customer);
            await Publish(asPd, "pd", "inbound.customer-data-captured", first.CaptureId, first);
            await Publish(asPd, "pd", "inbound.consent-withdrawn", withdrawn, new ConsentWithdrawn
            {
                ConsentId = withdrawn, CustomerId = customer, Channel = ConsentChannel.Phone, CapturedBy = "PD", WithdrawnAt = DateTimeOffset.UtcNow,
            });
            var second = ProfileCapture(customer);
            await Publish(asPd, "pd", "inbound.customer-data-captured", second.CaptureId, second);
            captures[customer] = (first.CaptureId, second.CaptureId);
            published[customer] = [given, first.CaptureId, withdrawn, second.CaptureId];
        }

        // Ten customers at a time, at most a hundred ahead of what the hubs have handled, so that the stream
        // stays within what they handle on two cores (unbounded, the backlog grew to thousands of customers
        // before the third hub had started); with a joining hub, on until it has taken its partitions and
        // forty more customers went through.
        const int ahead = 100;
        var joining = hubs > starting ? Join() : Task.FromResult(0);
        var running = new List<Task>();
        using var slots = new SemaphoreSlim(10);
        var streaming = System.Diagnostics.Stopwatch.StartNew();
        for (var started = 0; started < customers || !joining.IsCompleted || started < await joining + 40; started++)
        {
            Assert.True(streaming.Elapsed < TimeSpan.FromMinutes(2), "the joining hub never took its partitions");
            if (started >= ahead && started % 10 == 0)
            {
                await world.UntilRouted(2 * (started - ahead));
            }

            await slots.WaitAsync();
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await OneCustomer();
                }
                finally
                {
                    slots.Release();
                }
            }));
        }

        await Task.WhenAll(running);

        async Task<int> Join()
        {
            await Eventually.Until(() => Task.FromResult(captures.Count), done => done >= customers / 4, "a quarter of the customers published", 60);
            var before = world.HubOutput.Count;
            await world.StartHub();
            await Eventually.Until(() => Task.FromResult(Sharing(world, hubs, before)), "the joining hub taking partitions from the others", 60);
            output.WriteLine($"the third hub took its partitions after {captures.Count} customers");
            return captures.Count;
        }

        var ids = captures.Values.SelectMany(c => new[] { c.First, c.Second }).ToHashSet();
        await Eventually.Until(async () =>
        {
            await using var db = world.HubStore();
            return await db.Audit.Where(a => a.Kind == AuditKind.CaptureRouted && ids.Contains(a.MessageId)).Select(a => a.MessageId).Distinct().CountAsync();
        }, handled => handled == ids.Count, "every capture handled by one of the hubs", 90);

        foreach (var line in world.HubOutput.Where(l => !l.Contains(" info ", StringComparison.Ordinal) || l.Contains("hubs running", StringComparison.Ordinal)).Take(40))
        {
            output.WriteLine(line);
        }

        await using (var db = world.HubStore())
        {
            var delivered = (await db.Audit.AsNoTracking().Where(a => a.Kind == AuditKind.CaptureRouted && a.Reason == AuditReason.Delivered && ids.Contains(a.MessageId))
                    .ToListAsync())
                .GroupBy(a => a.MessageId).ToDictionary(g => g.Key, g => g.Select(a => a.Company).Order().ToList());
            string[] profileHolders = ["OP-NORD", "PAG", "PFS", "PFSKG", "PSM"];
            foreach (var (customer, c) in captures.Where(c => !profileHolders.SequenceEqual(delivered.GetValueOrDefault(c.Value.First) ?? []) || delivered.ContainsKey(c.Value.Second)))
            {
                foreach (var a in await db.Audit.AsNoTracking().Where(a => a.CustomerId == customer).OrderBy(a => a.Id).ToListAsync())
                {
                    output.WriteLine($"{a.Id} {a.At:HH:mm:ss.fff} {a.Kind} {(a.MessageId == c.First ? "first" : a.MessageId == c.Second ? "second" : a.MessageId.ToString()[..8])} {a.Company} {a.Reason}");
                }

                var folder = Path.Combine(Path.GetTempPath(), $"ih-order-failure-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
                world.WriteOutput(folder);
                output.WriteLine($"customer {customer} out of order; the hubs' output is in {folder}");

                // Which hub took each of the customer's four messages from which partition queue, and the hand-overs.
                var own = published[customer].Select(id => id.ToString()).ToList();
                foreach (var line in world.HubOutput.Where(l => own.Any(l.Contains) || l.Contains("Partition ", StringComparison.Ordinal)))
                {
                    output.WriteLine(own.Aggregate(line, (text, id) => text.Replace(id, $"#{own.IndexOf(id) + 1}", StringComparison.Ordinal)));
                }
            }

            Assert.All(captures.Values, c => Assert.Equal(profileHolders, delivered.GetValueOrDefault(c.First)));
            Assert.All(captures.Values, c => Assert.False(delivered.ContainsKey(c.Second), $"capture {c.Second} after the withdrawal was forwarded"));
        }

        Assert.Equal(0u, await world.Broker.Count("hub.inbound_error"));
        output.WriteLine($"{customers} customers, {captures.Count * 4} messages; {world.Summary}");
    }

    private static CustomerDataCaptured ProfileCapture(Guid customer) => new()
    {
        CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = "PD", DealerId = "PZ-HAMBURG",
        Context = CaptureContext.Events, Purpose = Purpose.IndividualCare, CapturedAt = DateTimeOffset.UtcNow,
        Data = new CategoryData { [DataCategory.InterestProfile] = new() { ["affinity"] = "motorsport" } },
    };

    // Returns once the broker confirmed the message: a message published after it is behind it in hub.inbound.
    private static Task Publish<T>(RabbitMQ.Client.IChannel channel, string user, string exchange, Guid messageId, T message) where T : class =>
        Broker.PublishJson(channel, exchange, BrokerNames.MessageUrn<T>(), JsonSerializer.Serialize(message, SystemTextJsonMessageSerializer.Options), user,
            messageId: messageId);

    // The hubs log each change of what they consume: "<n> hubs running; this hub consumes partitions …".
    private static bool Sharing(FaultWorld world, int hubs, int since) =>
        world.HubOutput.Skip(since).Count(line => line.Contains($"{hubs} hubs running; this hub consumes partitions", StringComparison.Ordinal)) >= hubs;
}
