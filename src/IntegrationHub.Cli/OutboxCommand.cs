using System.ComponentModel;
using System.Globalization;
using IntegrationHub.Hub.Sagas;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IntegrationHub.Cli;

/// <summary>
/// `hub outbox` for operations: how many messages wait, who sends them, and each parked message with
/// its reason; `--release <id>` (or `--retry <id>`) puts a parked message back into sending once its
/// cause is fixed. Reads and writes the hub's store (Hub:DatabasePath); shows ids, types, addresses
/// and reasons, never a message body.
/// </summary>
internal sealed class OutboxCommand : AsyncCommand<OutboxCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--release <ID>")]
        [Description("Put the parked message with this id back into sending")]
        public long? Release { get; init; }

        [CommandOption("--retry <ID>")]
        [Description("The same as --release")]
        public long? Retry { get; init; }

        public override ValidationResult Validate() =>
            Release is not null && Retry is not null && Release != Retry ? ValidationResult.Error("--release and --retry name different messages") : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        HubStore.With<OutboxDesk>(async (desk, _) =>
    {
        if ((settings.Release ?? settings.Retry) is { } id)
        {
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
        if (overview.Parked.Count > 0)
        {
            Terminal.Table(["id", "message type", "destination", "attempts", "parked", "reason"], overview.Parked.Select(parked => (IReadOnlyList<string>)
            [
                parked.Id.ToString(CultureInfo.InvariantCulture), parked.MessageType, parked.Destination ?? "(publish)",
                parked.Attempts.ToString(CultureInfo.InvariantCulture), parked.ParkedAt.ToString("u", CultureInfo.InvariantCulture), parked.Reason,
            ]));
        }

        return 0;
    });
}
