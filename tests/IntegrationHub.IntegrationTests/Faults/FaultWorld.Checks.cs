using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Platform;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// What a fault world is checked by: how far the hub has got, the exact end result every case
/// ends with, and what a failed case leaves for its reader.
/// </summary>
public sealed partial class FaultWorld
{
    /// <summary>Waits until the hub has routed at least this many captures.</summary>
    public Task UntilRouted(int count) => Eventually.Until(async () => await Routed() >= count, $"{count} captures routed by the hub", 60);

    /// <summary>How many captures the hub has routed so far.</summary>
    public async Task<int> Routed()
    {
        await using var db = HubStore();
        return await db.Audit.Where(a => a.Kind == AuditKind.CaptureRouted).Select(a => a.MessageId).Distinct().CountAsync();
    }

    /// <summary>How many erasures the hub has completed so far (one tombstone each).</summary>
    public async Task<int> Tombstones()
    {
        await using var db = HubStore();
        return await db.Tombstones.CountAsync();
    }

    /// <summary>Waits until the hub has sent everything and each holder's queue holds at least this many messages.</summary>
    public Task UntilQueued(int count) =>
        Eventually.Until(async () =>
        {
            await using var db = HubStore();
            foreach (var holder in Holders)
            {
                if (await Broker.Count("company." + holder.ToLowerInvariant()) < count)
                {
                    return false;
                }
            }

            return !await db.Outbox.AnyAsync();
        }, $"{count} messages waiting in each holder's queue", 60);

    /// <summary>
    /// The end of every case: waits (bounded) until the hub has sent everything and every holder
    /// shows every confirmed capture and every erasure, then asserts the exact result: each routed
    /// capture decided once, each holder holding exactly one record of each routed, not erased
    /// customer, nothing of an erased one, every erasure's tombstone written, nothing sent to a
    /// company the capture does not reach, exactly the expected messages in the error queues, and
    /// no customer id in any process's log (issue 12, finding 7).
    /// </summary>
    public async Task AssertEveryConfirmedCaptureTookEffectExactlyOnce(int hubRefusals = 0, int pagRefusals = 0, int seconds = 90)
    {
        try
        {
            await Eventually.Until(Settled, "every confirmed capture and erasure carried out by the hub and every holder", seconds);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last seen: {_unsettled}; {await QueueDepths()}", ex);
        }

        await using var db = HubStore();
        var routed = (await db.Audit.AsNoTracking().Where(a => a.Kind == AuditKind.CaptureRouted && a.Reason == AuditReason.Delivered).ToListAsync())
            .GroupBy(a => a.MessageId).ToDictionary(g => g.Key, g => g.Select(a => $"{a.Company}:{a.Category}").Order().ToList());
        var expectedCopies = Holders.Select(h => $"{h}:{DataCategory.VehicleHistory}").ToList();
        Assert.All(routed, capture => Assert.Equal(expectedCopies, capture.Value));
        Assert.All(Pd.Confirmed.Keys, capture => Assert.True(routed.ContainsKey(capture), $"confirmed capture {capture} never routed"));
        Assert.All(routed.Keys, capture => Assert.True(Pd.Confirmed.ContainsKey(capture) || Pd.Unconfirmed.ContainsKey(capture), $"capture {capture} routed but never published"));

        var customers = routed.Keys.Select(c => Pd.Confirmed.TryGetValue(c, out var customer) ? customer : Pd.Unconfirmed[c]).ToHashSet();
        var kept = customers.Where(c => !Pd.Erasures.ContainsKey(c)).ToHashSet();
        var ledger = (await db.Ledger.AsNoTracking().ToListAsync()).GroupBy(l => l.CustomerId)
            .ToDictionary(g => g.Key, g => g.Select(l => $"{l.Company}:{l.Category}").Order().ToList());
        Assert.Equal(kept.Order(), ledger.Keys.Order());
        Assert.DoesNotContain(Pd.Refused, ledger.ContainsKey);
        Assert.All(ledger, entry => Assert.Equal(expectedCopies, entry.Value));
        Assert.Empty(await db.Outbox.AsNoTracking().ToListAsync());
        Assert.Equal(Pd.Erasures.Values.Order(), (await db.Tombstones.AsNoTracking().Select(t => t.ErasureRequestId).ToListAsync()).Order());

        foreach (var holder in Holders)
        {
            var records = await Store(holder).Records();
            Assert.Equal(kept.Order(), records.Select(r => r.Customer).Order());
            Assert.All(records, r => Assert.Equal(DataCategory.VehicleHistory.ToString(), r.Category));
            Assert.Equal(holder == "PAG" ? pagRefusals : 0, (int)await Broker.Count($"company.{holder.ToLowerInvariant()}_error"));
        }

        // PD, which received the erasure requests, is told that each is done, by one notice per request (a notice
        // repeated after a crash between send and bookkeeping carries the same notice id: the same notice); nobody else gets anything.
        await using (var connection = await Broker.Connect("hub"))
        await using (var channel = await connection.CreateChannelAsync())
        {
            foreach (var notice in await IntegrationTests.Broker.Drain(channel, "company.pd"))
            {
                var status = JsonDocument.Parse(notice.Body).RootElement;
                Assert.Equal(BrokerNames.MessageUrn<RequestStatusChanged>(), IntegrationTests.Broker.Header(notice, BrokerNames.MessageTypeHeader));
                Assert.Equal("done", status.GetProperty("status").GetString());
                _notices.Add((status.GetProperty("requestId").GetGuid(), status.GetProperty("noticeId").GetGuid()));
            }
        }

        Assert.Equal(Pd.Erasures.Values.Order(), _notices.Distinct().Select(n => n.Request).Order());
        foreach (var bystander in Bystanders.Where(b => b != "pd"))
        {
            Assert.True(await Broker.Count("company." + bystander) == 0, $"company.{bystander} received something of a capture that does not reach it");
        }

        Assert.Equal(hubRefusals, (int)await Broker.Count("hub.inbound_error"));

        var logs = string.Join('\n', _hubOutput.Concat(_workers.Values.Concat(_stopped).SelectMany(w => w.Output)));
        var named = Pd.Confirmed.Values.Concat(Pd.Unconfirmed.Values).Concat(Pd.Refused).Where(c => logs.Contains(c.ToString(), StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(named.Count == 0, $"{named.Count} customer ids appear in the processes' logs");
    }

    /// <summary>The customers whose data the hub's ledger says the company holds and its store does not.</summary>
    public async Task<List<Guid>> LedgerWithoutStore(string company)
    {
        await using var db = HubStore();
        var ledger = await db.Ledger.AsNoTracking().Where(l => l.Company == company).Select(l => l.CustomerId).Distinct().ToListAsync();
        var held = (await Store(company).Records()).Select(r => r.Customer).ToHashSet();
        return ledger.Where(c => !held.Contains(c)).ToList();
    }

    private string _unsettled = "";

    private async Task<string> QueueDepths()
    {
        var depths = new List<string>();
        foreach (var queue in new[] { "hub.inbound", "hub.inbound_error", "dead-letter" }.Concat(Holders.Select(h => "company." + h.ToLowerInvariant())))
        {
            depths.Add($"{queue} {await Broker.Count(queue)} ({await Consumers(queue)} consumers)");
        }

        return string.Join(", ", depths) + $"; hubs {string.Join(",", _hubs.Select(h => h.HasExited ? "exited" : "running"))}, workers {string.Join(",", _workers.Select(w => $"{w.Key} {(w.Value.Process.HasExited ? "exited" : "running")}"))}";
    }

    private async Task<bool> Settled()
    {
        await using var db = HubStore();
        var outbox = await db.Outbox.AsNoTracking().ToListAsync();
        if (outbox.Count > 0)
        {
            _unsettled = $"{outbox.Count} outbox rows ({outbox.Count(o => o.ParkedAt is not null)} parked), last error {outbox.Select(o => o.LastError).LastOrDefault(e => e is not null)}";
            return false;
        }

        if (await db.Tombstones.CountAsync(t => Pd.Erasures.Values.Contains(t.ErasureRequestId)) < Pd.Erasures.Count)
        {
            _unsettled = "erasures without tombstone";
            return false;
        }

        var routed = await db.Audit.Where(a => a.Kind == AuditKind.CaptureRouted).Select(a => a.MessageId).Distinct().ToListAsync();
        if (Pd.Confirmed.Keys.Except(routed).Count() is > 0 and var unrouted)
        {
            _unsettled = $"{unrouted} confirmed captures not routed";
            return false;
        }

        var expected = routed.Select(c => Pd.Confirmed.TryGetValue(c, out var customer) ? customer : Pd.Unconfirmed.GetValueOrDefault(c))
            .Where(c => !Pd.Erasures.ContainsKey(c)).ToHashSet();
        foreach (var holder in Holders)
        {
            var held = (await Store(holder).Records()).Select(r => r.Customer).ToHashSet();
            if (!held.SetEquals(expected))
            {
                _unsettled = $"{holder} holds {held.Count} customers, {expected.Except(held).Count()} of the {expected.Count} expected missing";
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes what the hub and each worker wrote to its output so far, a file each, for the reader of a failed case.</summary>
    public void WriteOutput(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "hub.log"), _hubOutput);
        foreach (var (company, worker) in _workers)
        {
            File.WriteAllLines(Path.Combine(folder, company + ".log"), worker.Output);
        }
    }

    /// <summary>What the case went through, for the test's output.</summary>
    public string Summary =>
        $"{Pd.Confirmed.Count} captures confirmed, {Pd.Unconfirmed.Count} not, {Pd.Erasures.Count} erasures; {_hubOutput.Count} hub log lines, " +
        $"{_workers.Values.Concat(_stopped).Sum(w => w.Output.Count)} worker log lines; connections dropped for a refused or unconfirmed publish: " +
        $"hub {Reconnects(_hubOutput)}, {string.Join(", ", _workers.Select(w => $"{w.Key} {Reconnects(w.Value.Output)}"))}";

    // RefusedPublishReconnect's warning, one per dropped connection.
    private static int Reconnects(IEnumerable<string> output) => output.Count(line => line.Contains("so that the bus connects again with new channels"));
}
