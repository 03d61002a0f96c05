using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Requests;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Hub.Customers;
using IntegrationHub.Platform;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// DOMAIN.md section 6 on the real broker with the workers as processes: Porsche Zentrum Stuttgart,
/// with a thousand customers, passes from OP-NORD to OP-SUED while captures keep coming. Issue 13's
/// done-when: no capture routed from the effective time on reaches OP-NORD, none of the handed-over
/// values is left in OP-NORD's database or WAL file, and after some of the customers are erased none
/// of their values is left in any company's store.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class When_a_zentrum_changes_its_operator_on_the_wire(HubProcess hub, WorkerProcesses workers) : IClassFixture<WorkerProcesses>
{
    private const int Customers = 1000;
    private const int CapturesDuringTakeover = 200;

    [Fact]
    public async Task Should_move_every_customer_to_the_new_operator_lose_no_capture_and_leave_nothing_at_the_old_one()
    {
        var customers = Enumerable.Range(0, Customers).Select(_ => Guid.NewGuid()).ToList();
        await using var pd = await Broker.Connect("pd");
        await using var channel = await Broker.Channel(pd);
        var before = customers.Select(c => Capture(c, "before")).ToList();
        await PublishCaptures(channel, before);
        await Eventually.Until(async () => (await workers.Holdings("OP-NORD")).Keys.Count(customers.Contains) == Customers, "OP-NORD holds every customer", 180);

        // Choices that must survive the change: consent for the first customer, an objection to direct
        // marketing for the second, a restriction for the last.
        await Broker.PublishAs("op-nord", "inbound.consent-given", new ConsentGiven
        {
            ConsentId = Guid.NewGuid(), CustomerId = customers[0], Channel = ConsentChannel.Dealer, WordingVersion = "2026-03", CapturedBy = "OP-NORD", GivenAt = DateTimeOffset.UtcNow,
        });
        await Broker.PublishAs("pd", "inbound.direct-marketing-objection-lodged", new DirectMarketingObjectionLodged
        {
            RequestId = Guid.NewGuid(), CustomerId = customers[1], ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow,
        });
        await Broker.PublishAs("pd", "inbound.restriction-requested", new RestrictionRequested
        {
            RequestId = Guid.NewGuid(), CustomerId = customers[^1], ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow,
        });
        await Eventually.Until(async () =>
        {
            var first = await Customer(customers[0]);
            var second = await Customer(customers[1]);
            var last = await Customer(customers[^1]);
            return first?.ConsentGiven == true && second?.ObjectedToDirectMarketing == true && last?.Restricted == true;
        }, "choices recorded", 60);

        // In flight at the switch: routed to OP-NORD just before the change, still on their way.
        var inFlight = customers.Take(50).Select(c => Capture(c, "in flight")).ToList();
        await PublishCaptures(channel, inFlight);

        var takeover = Guid.NewGuid();
        await Broker.PublishAs("pd", "inbound.dealer-operator-change-announced", new DealerOperatorChangeAnnounced
        {
            TakeoverId = takeover, DealerId = "PZ-STUTTGART", FromOperator = "OP-NORD", ToOperator = "OP-SUED", EffectiveAt = DateTimeOffset.UtcNow, AnnouncedBy = "PD",
        });

        // Captures keep flowing while the customers are handed over.
        var during = Enumerable.Range(0, CapturesDuringTakeover).Select(i => Capture(customers[i * 5 % Customers], $"during {i}")).ToList();
        await PublishCaptures(channel, during);

        await Eventually.Until(async () =>
        {
            await using var scope = hub.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RequestDesk>().Takeover(takeover) is { CompletedAt: not null };
        }, "the takeover completed", 300);

        // The new operator holds exactly the dealer-allowed data of every customer, and every capture made during the change.
        await Eventually.Until(async () => (await workers.Holdings("OP-SUED")).Keys.Count(customers.Contains) == Customers, "OP-SUED holds every customer", 60);
        var sued = await workers.Holdings("OP-SUED");
        Assert.All(customers, c => Assert.Equal("ContactIdentification,VehicleHistory,Voluntary", string.Join(",", sued[c])));
        await using (var store = workers.Store("OP-SUED"))
        {
            var notes = (await store.Records.AsNoTracking().Where(r => r.Category == DataCategory.Voluntary).Select(r => r.Fields).ToListAsync()).ToHashSet();
            foreach (var capture in before.Concat(inFlight).Concat(during))
            {
                var note = JsonSerializer.Serialize(capture.Data[DataCategory.Voluntary]);
                Assert.True(notes.Contains(note), $"lost: {capture.Data[DataCategory.Voluntary]["note"]}");
            }
        }

        // The old operator holds nothing of the Zentrum's customers, not even in its files.
        Assert.DoesNotContain((await workers.Holdings("OP-NORD")).Keys, customers.Contains);
        var all = before.Concat(inFlight).Concat(during).ToList();
        var values = all.SelectMany(ValuesOf).ToList();
        Assert.NotEmpty(workers.FilesHolding("OP-SUED", values));
        await Eventually.Until(() => Task.FromResult(workers.FilesHolding("OP-NORD", values)), files => files.Count == 0, "no handed-over value in OP-NORD's files");

        // The switch is exact: from the effective time on, the hub routed no capture to OP-NORD.
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            var effectiveAt = (await scope.ServiceProvider.GetRequiredService<RequestDesk>().Takeover(takeover))!.EffectiveAt;
            var captureIds = all.Select(c => c.CaptureId).ToHashSet();
            var routed = (await scope.ServiceProvider.GetRequiredService<HubDbContext>().Audit.AsNoTracking()
                    .Where(a => a.Kind == AuditKind.CaptureRouted && a.Reason == AuditReason.Delivered && (a.Company == "OP-NORD" || a.Company == "OP-SUED"))
                    .Select(a => new { a.MessageId, a.Company, a.At }).ToListAsync())
                .Where(a => captureIds.Contains(a.MessageId)).ToList();
            Assert.DoesNotContain(routed, a => a.Company == "OP-NORD" && a.At >= effectiveAt);
            Assert.All(during, c => Assert.Contains(routed, a => a.MessageId == c.CaptureId));
        }

        // The customer's choices carried over unchanged.
        Assert.True((await Customer(customers[0]))!.ConsentGiven);
        Assert.True((await Customer(customers[1]))!.ObjectedToDirectMarketing);
        Assert.True((await Customer(customers[^1]))!.Restricted);
        await using (var store = workers.Store("OP-SUED"))
        {
            // ... and reached the new operator with the records.
            Guid consenting = customers[0], objecting = customers[1], restricted = customers[^1];
            Assert.True((await store.Customers.AsNoTracking().SingleAsync(c => c.CustomerId == objecting)).NoDirectMarketing);
            Assert.True((await store.Customers.AsNoTracking().SingleAsync(c => c.CustomerId == restricted)).Restricted);
            Assert.All(await store.Records.AsNoTracking().Where(r => r.CustomerId == restricted).ToListAsync(), r => Assert.True(r.Restricted));
            Assert.False((await store.Customers.AsNoTracking().SingleAsync(c => c.CustomerId == consenting)).NoPersonalisedContact);
        }

        // Every step is in the audit trail.
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var steps = await db.Audit.AsNoTracking().Where(a => a.MessageId == takeover).ToListAsync();
            Assert.Contains(steps, s => s.Kind == AuditKind.DealerOperatorChange);
            Assert.Contains(steps, s => s.Kind == AuditKind.TakeoverStarted);
            Assert.Contains(steps, s => s.Kind == AuditKind.TakeoverCompleted);
            Assert.Equal(Customers, steps.Where(s => s.Kind == AuditKind.HandOverPassedOn).Select(s => s.CustomerId).Distinct().Count());
            var progress = (await scope.ServiceProvider.GetRequiredService<RequestDesk>().Takeover(takeover))!;
            Assert.Equal((Customers, Customers), (progress.Customers, progress.HandedOver));
        }

        // A's login reaches nothing of D's: nothing of the Zentrum's customers waits in A's queue, and B's queue is closed to A.
        await using (var nord = await Broker.Connect("op-nord"))
        await using (var probe = await nord.CreateChannelAsync())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => probe.BasicGetAsync("company.op-sued", autoAck: false));
        }

        // Some of the customers are erased: none of their values stays in any company's database or WAL file.
        var erased = customers.Skip(2).Take(25).ToHashSet();
        var erasures = erased.Select(c => new ErasureRequested { RequestId = Guid.NewGuid(), CustomerId = c, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow }).ToList();
        foreach (var erasure in erasures)
        {
            await Broker.PublishAs("pd", "inbound.erasure-requested", erasure);
        }

        foreach (var erasure in erasures)
        {
            await hub.UntilErased(erasure.RequestId);
        }

        var erasedValues = all.Where(c => erased.Contains(c.CustomerId)).SelectMany(ValuesOf).ToList();
        var keptValues = all.Where(c => !erased.Contains(c.CustomerId)).SelectMany(ValuesOf).ToList();
        foreach (var (company, _) in WorkerProcesses.Workers)
        {
            await Eventually.Until(() => Task.FromResult(workers.FilesHolding(company, erasedValues)), files => files.Count == 0, $"no erased value in {company}'s files");
        }

        Assert.NotEmpty(workers.FilesHolding("OP-SUED", keptValues));
    }

    /// <summary>The values a capture brought, each unique to it.</summary>
    private static IEnumerable<string> ValuesOf(CustomerDataCaptured capture) => capture.Data.Values.SelectMany(fields => fields.Values);

    private async Task<CustomerState?> Customer(Guid id)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RequestDesk>().Customer(id);
    }

    private static CustomerDataCaptured Capture(Guid customer, string note) => new()
    {
        CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = "PD", DealerId = "PZ-STUTTGART", Context = CaptureContext.Workshop,
        Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
        Data = new CategoryData
        {
            [DataCategory.ContactIdentification] = new() { ["familyName"] = $"Kunde {Guid.NewGuid():N}" },
            [DataCategory.VehicleHistory] = new() { ["service"] = $"inspection {Guid.NewGuid():N}" },
            [DataCategory.Voluntary] = new() { ["note"] = $"{note} {Guid.NewGuid():N}" },
            [DataCategory.CreditBank] = new() { ["iban"] = $"never to a dealer {Guid.NewGuid():N}" },
        },
    };

    private static async Task PublishCaptures(IChannel channel, IEnumerable<CustomerDataCaptured> captures)
    {
        foreach (var batch in captures.Chunk(100))
        {
            await Task.WhenAll(batch.Select(capture => Broker.PublishJson(channel, "inbound.customer-data-captured", BrokerNames.MessageUrn<CustomerDataCaptured>(),
                JsonSerializer.Serialize(capture, SystemTextJsonMessageSerializer.Options), userId: "pd"))).WaitAsync(TimeSpan.FromSeconds(60));
        }
    }
}
