using System.Text.RegularExpressions;
using IntegrationHub.Platform;

namespace IntegrationHub.Ops;

/// <summary>
/// The queues where messages wait for a person: the hub's error and skipped queues, the dead-letter
/// queue, and each company's error queue. Where a message of each goes back to for another try.
/// </summary>
public static partial class ParkingQueues
{
    public const string HubError = BrokerNames.HubInboundQueue + "_error";
    public const string HubSkipped = BrokerNames.HubInboundQueue + "_skipped";

    public static bool IsParking(string queue) =>
        queue is HubError or HubSkipped or BrokerNames.DeadLetterExchange || CompanyErrorQueue().IsMatch(queue);

    /// <summary>
    /// The exchange a parked message goes back through, or why it cannot: a dead-lettered message
    /// goes back to the queue it died in (its x-death header), when that is the hub's or a company's.
    /// Each of our queues has an exchange of its own name bound to it.
    /// </summary>
    public static (string? Exchange, string? Refusal) ReturnAddress(string queue, string? diedIn) => queue switch
    {
        HubError or HubSkipped => (BrokerNames.HubInboundQueue, null),
        BrokerNames.DeadLetterExchange when diedIn is BrokerNames.HubInboundQueue || (diedIn is not null && CompanyQueue().IsMatch(diedIn)) => (diedIn, null),
        BrokerNames.DeadLetterExchange => (null, $"it was dead-lettered from {diedIn ?? "an unknown queue"}, which is not the hub's or a company's queue"),
        _ when CompanyErrorQueue().IsMatch(queue) => (queue[..^"_error".Length], null),
        _ => (null, $"{queue} is not a parking queue"),
    };

    [GeneratedRegex(@"^company\.[a-z0-9-]+_error$")]
    private static partial Regex CompanyErrorQueue();

    [GeneratedRegex(@"^company\.[a-z0-9-]+$")]
    private static partial Regex CompanyQueue();
}
