using System.Diagnostics;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The workers' side of the erasures without the hub: every company worker running, the holders' stores
/// filled through their queues, then the erasure commands the hub would send, all queued at once.
/// Timed until every answer is in hub.inbound (no hub consumes it here), so the figure is the workers'
/// alone, to set beside the erasures through the hub.
/// </summary>
public sealed class WorkerPhases(BenchSizes sizes, string directory, Action<string> log)
{
    /// <summary>The holders of the erasure phase's customers: PD's financing captures reach these three; PSM's reach PD as well.</summary>
    private static readonly string[] Holders = ["OP-NORD", "PAG", "PFS"];

    public async Task<(double Seconds, int Commands)> Erasures(CancellationToken cancellationToken)
    {
        await using var processes = new Processes(directory);
        await processes.StartWorkers(Broker.CompanyIds);
        var customers = Enumerable.Range(0, sizes.Erasures).Select(i => (Id: Guid.NewGuid(), Holders: i % 2 == 0 ? Holders : [.. Holders, "PD"])).ToList();
        await using var hub = await CompanyPublisher.Open("hub");
        var clock = Stopwatch.StartNew();
        await hub.PublishAll(customers.SelectMany(c => c.Holders.Select(h => (c.Id, Holder: h))),
            c => hub.Publish(BrokerNames.CompanyQueue(c.Holder), Delivery(c.Id, c.Holder)), cancellationToken);
        await HubPhases.WaitUntilDrained(cancellationToken);
        log($"{customers.Count} customers delivered to their holders' workers in {clock.Elapsed.TotalSeconds:0.0} s");

        var commands = customers.SelectMany(c => c.Holders.Select(h => (c.Id, Holder: h))).ToList();
        clock.Restart();
        await hub.PublishAll(commands, c => hub.Publish(BrokerNames.CompanyQueue(c.Holder), Erasure(c.Id, c.Holder)), cancellationToken);
        var published = clock.Elapsed;
        await using var connection = await Broker.Factory("hub").CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        uint answered;
        while ((answered = (await Broker.Depth(channel, BrokerNames.HubInboundQueue)).Ready) < commands.Count)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new BenchmarkFailure($"{answered} of {commands.Count} erasure commands answered in {clock.Elapsed.TotalSeconds:0} s");
            }

            await Task.Delay(100, CancellationToken.None);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        log($"{commands.Count} erasure commands for {customers.Count} customers answered by the workers in {seconds:0.0} s (queued in {published.TotalSeconds:0.0} s)");
        return (seconds, commands.Count);
    }

    private static DeliverCustomerData Delivery(Guid customer, string recipient) => new()
    {
        DeliveryId = Guid.NewGuid(), CaptureId = Guid.NewGuid(), CustomerId = customer, Recipient = recipient, SourceCompany = "PD", DealerId = Captures.Dealer,
        Context = CaptureContext.VehicleContract, ContractKind = ContractKind.Financing, Purpose = Purpose.JointCare, CapturedAt = DateTimeOffset.UtcNow,
        PolicyVersion = "bench", Data = Captures.Financing(customer, "PD").Data,
    };

    private static EraseCustomerData Erasure(Guid customer, string recipient) => new()
    {
        CommandId = Guid.NewGuid(), RequestId = Guid.NewGuid(), CustomerId = customer, Recipient = recipient,
        Categories = [.. Captures.Financing(customer, "PD").Data.Keys], AcknowledgeBy = DateTimeOffset.UtcNow.AddDays(3), Reason = ErasureReason.DataSubjectRequest,
    };
}
