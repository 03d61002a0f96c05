using System.Globalization;
using IntegrationHub.Hub.Sagas;

namespace IntegrationHub.Cli;

/// <summary>
/// `hub outbox` for operations: how many messages wait, who sends them, and each parked message with
/// its reason; `--release <id>` (or `--retry <id>`) puts a parked message back into sending once its
/// cause is fixed. Reads and writes the hub's store (Hub:DatabasePath); shows ids, types, addresses
/// and reasons, never a message body.
/// </summary>
internal static class OutboxCommand
{
    public static Task<int> Run(string[] args) => DeskCommands.WithStore<OutboxDesk>(args, async (desk, config) =>
    {
        var release = config["release"] ?? config["retry"];
        if (release is not null)
        {
            if (!long.TryParse(release, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                Console.Error.WriteLine("usage: hub outbox [--release <id>]");
                return 64;
            }

            if (!await desk.Release(id))
            {
                Console.Error.WriteLine($"hub: no parked outbox message {id}");
                return 1;
            }

            // A release can let a message out after later ones of its customer; receivers de-duplicate but do not reorder.
            Console.WriteLine($"outbox message {id} released: it is sent in the next round (after any of its customer's messages that went out meanwhile)");
            return 0;
        }

        var overview = await desk.Overview();
        Console.WriteLine($"waiting {overview.Waiting} ({overview.Retrying} after a failed send), parked {overview.Parked.Count}");
        Console.WriteLine(overview.LeaseHolder is null
            ? "lease: free (no hub is sending)"
            : $"lease: {overview.LeaseHolder} until {overview.LeaseExpiresAt:u}");
        foreach (var parked in overview.Parked)
        {
            Console.WriteLine($"  {parked.Id,8}  {parked.MessageType,-28} {parked.Destination ?? "(publish)",-28} attempts {parked.Attempts,2}  parked {parked.ParkedAt:u}  {parked.Reason}");
        }

        return 0;
    });
}
