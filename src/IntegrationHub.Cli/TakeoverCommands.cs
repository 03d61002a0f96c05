using System.ComponentModel;
using System.Globalization;
using IntegrationHub.Client;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Hub.Takeovers;
using IntegrationHub.Platform;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IntegrationHub.Cli;

/// <summary>PD announces a dealer takeover; with --follow the command shows its progress until it completes.</summary>
internal sealed class TakeoverCommand : AsyncCommand<TakeoverCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--dealer <PZ>")]
        [Description("The Porsche Zentrum that changes its operator, e.g. PZ-HAMBURG")]
        public string? Dealer { get; init; }

        [CommandOption("--from <OPERATOR>")]
        [Description("The operator company that runs it now, e.g. OP-NORD")]
        public string? From { get; init; }

        [CommandOption("--to <OPERATOR>")]
        [Description("The operator company that takes it over, e.g. OP-SUED")]
        public string? To { get; init; }

        [CommandOption("--at <TIME>")]
        [Description("When the change takes effect (ISO 8601, UTC unless given; default now)")]
        public string? At { get; init; }

        [CommandOption("--follow")]
        [Description("Show the hand-over's progress until it completes (reads --Hub:DatabasePath)")]
        public bool Follow { get; init; }

        public DateTimeOffset EffectiveAt =>
            At is null ? DateTimeOffset.UtcNow : DateTimeOffset.Parse(At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public override ValidationResult Validate() =>
            Dealer is null || From is null || To is null ? ValidationResult.Error("--dealer, --from and --to are required")
            : string.Equals(From, To, StringComparison.OrdinalIgnoreCase) ? ValidationResult.Error("--from and --to name the same operator")
            : At is not null && !DateTimeOffset.TryParse(At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
                ? ValidationResult.Error($"--at '{At}' is not a time (e.g. 2026-12-01T00:00:00Z)")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var takeoverId = Guid.NewGuid();
        var options = new HubClientOptions { Company = CompanyIds.PorscheDeutschland, Broker = BrokerSettings.Development("pd") };
        HubCommandLine.Configuration().GetSection("Broker").Bind(options.Broker);
        if (await RequestCommand.PublishAs(options, client => client.AnnounceDealerOperatorChange(new DealerOperatorChangeAnnounced
            {
                TakeoverId = takeoverId, DealerId = settings.Dealer!, FromOperator = settings.From!.ToUpperInvariant(), ToOperator = settings.To!.ToUpperInvariant(),
                EffectiveAt = settings.EffectiveAt, AnnouncedBy = CompanyIds.PorscheDeutschland,
            })) is { } failed)
        {
            return failed;
        }

        Console.WriteLine(takeoverId);
        return settings.Follow ? await TakeoverStatusCommand.Show(takeoverId, follow: true) : 0;
    }
}

/// <summary>A takeover's progress: customers handed over of how many; with --follow, until it completes.</summary>
internal sealed class TakeoverStatusCommand : AsyncCommand<TakeoverStatusCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--takeover <ID>")]
        [Description("The takeover's id, as `hub takeover` printed it")]
        public Guid? Takeover { get; init; }

        [CommandOption("--follow")]
        [Description("Show the progress until the takeover completes")]
        public bool Follow { get; init; }

        public override ValidationResult Validate() =>
            Takeover is null ? ValidationResult.Error("--takeover <ID> is required") : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Show(settings.Takeover!.Value, settings.Follow);

    internal static Task<int> Show(Guid takeoverId, bool follow) => HubStore.With<RequestDesk>(async (desk, _) =>
    {
        // The announcement may still be on its way to the hub: a follower waits for it.
        var progress = await Terminal.Follow("customers handed over", () => desk.Takeover(takeoverId), Describe,
            follow ? TimeSpan.FromHours(1) : TimeSpan.Zero);
        if (progress is null)
        {
            Console.Error.WriteLine($"hub: no takeover {takeoverId} at this hub");
            return 1;
        }

        return 0;
    });

    private static (string, int, int, bool) Describe(TakeoverProgress? progress) => progress is null
        ? ("waiting for the hub to take the announcement", 0, 1, false)
        : (progress.ToString(), progress.HandedOver, progress.Customers, progress.CompletedAt is not null);
}
