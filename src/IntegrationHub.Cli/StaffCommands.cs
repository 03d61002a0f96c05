using System.ComponentModel;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Requests;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IntegrationHub.Cli;

/// <summary>
/// Art. 7(3) GDPR, recorded by staff on the customer's behalf: the consent withdrawal as the company
/// that took it (ConsentWithdrawn, capturedBy that company), through the channel the customer used.
/// Prints the withdrawal's id, which is also the id of the deletion it starts (hub status --request).
/// </summary>
internal sealed class ConsentCommand : AsyncCommand<ConsentCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<ACTION>")]
        [Description("withdraw")]
        public string Action { get; init; } = "";

        [CommandOption("--customer <ID>")]
        [Description("The customer's id (a UUID)")]
        public Guid? Customer { get; init; }

        [CommandOption("--channel <CHANNEL>")]
        [Description("How the customer withdrew: Dealer, Web, Email, Phone or Post")]
        public string? Channel { get; init; }

        [CommandOption("--received-by <COMPANY>")]
        [Description("The company that took the withdrawal and publishes it with its own login (default PD)")]
        public string ReceivedBy { get; init; } = CompanyIds.PorscheDeutschland;

        [CommandOption("--wording <VERSION>")]
        [Description("The version of the consent wording withdrawn, if known")]
        public string? Wording { get; init; }

        public override ValidationResult Validate() =>
            Action != "withdraw" ? ValidationResult.Error($"unknown consent action '{Action}' (one of: withdraw)")
            : Customer is null || Customer == Guid.Empty ? ValidationResult.Error("--customer <ID> is required")
            : ChannelOf(Channel) is null ? ValidationResult.Error($"--channel must be a consent channel: {string.Join(", ", Enum.GetNames<ConsentChannel>())}")
            : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var receivedBy = settings.ReceivedBy.ToUpperInvariant();
        var withdrawal = new ConsentWithdrawn
        {
            ConsentId = Guid.NewGuid(), CustomerId = settings.Customer!.Value, Channel = ChannelOf(settings.Channel)!.Value, WordingVersion = settings.Wording,
            CapturedBy = receivedBy, WithdrawnAt = DateTimeOffset.UtcNow,
        };
        return RequestCommand.PublishAndPrint(receivedBy, client => client.WithdrawConsent(withdrawal), withdrawal.ConsentId);
    }

    private static ConsentChannel? ChannelOf(string? name) =>
        name is not null && !int.TryParse(name, out _) && Enum.TryParse<ConsentChannel>(name, ignoreCase: true, out var channel) && Enum.IsDefined(channel) ? channel : null;
}

/// <summary>
/// Art. 12(3) GDPR: extends an open request's deadline by two months with the reason told to the
/// customer (ExtendRequestDeadline as the deciding company). Reads the request from the hub's store
/// first, so that a request that is unknown, done or extended already is refused here with a reason.
/// </summary>
internal sealed class ExtendCommand : AsyncCommand<ExtendCommand.Settings>
{
    public sealed class Settings : RequestSettings
    {
        [CommandOption("--reason <TEXT>")]
        [Description("Why, as told to the customer")]
        public string? Reason { get; init; }

        [CommandOption("--decided-by <COMPANY>")]
        [Description("The company that decides the extension and publishes it with its own login (default PD)")]
        public string DecidedBy { get; init; } = CompanyIds.PorscheDeutschland;

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Reason) ? ValidationResult.Error("--reason <TEXT> is required") : base.Validate();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        HubStore.With<RequestDesk>(async (desk, _) =>
        {
            var requestId = settings.Request!.Value;
            var status = await desk.Status(requestId, cancellationToken);
            var problem = status switch
            {
                null => $"no request {requestId} at this hub",
                { CompletedAt: not null } => $"request {requestId} is done; only an open request can be extended",
                { ExtensionReason: not null } => $"request {requestId} was extended before; Art. 12(3) GDPR allows one extension of two months",
                { CustomerId: null } => $"request {requestId} belongs to an erased customer; it is answered by the erasure",
                _ => null,
            };
            if (problem is not null)
            {
                Console.Error.WriteLine($"hub: {problem}");
                return 65;
            }

            var decidedBy = settings.DecidedBy.ToUpperInvariant();
            var extension = new ExtendRequestDeadline
            {
                ExtensionId = Guid.NewGuid(), RequestId = requestId, CustomerId = status!.CustomerId!.Value, DecidedBy = decidedBy, Reason = settings.Reason!,
            };
            return await RequestCommand.PublishAndPrint(decidedBy, client => client.ExtendDeadline(extension), requestId);
        });
}
