using IntegrationHub.Client;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Cli;

/// <summary>Dealer takeovers for operations: PD announces one, and anyone follows its progress.</summary>
internal static class TakeoverCommands
{
    /// <summary>PD announces a dealer takeover; with --follow the command shows its progress until it completes.</summary>
    public static async Task<int> Takeover(string[] args)
    {
        var config = DeskCommands.Configuration(args);
        var dealer = config["dealer"];
        var from = config["from"]?.ToUpperInvariant();
        var to = config["to"]?.ToUpperInvariant();
        var at = DateTimeOffset.TryParse(config["at"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var when)
            ? when : DateTimeOffset.UtcNow;
        if (dealer is null || from is null || to is null)
        {
            Console.Error.WriteLine("usage: hub takeover --dealer PZ-HAMBURG --from OP-NORD --to OP-SUED [--at 2026-12-01T00:00:00Z] [--follow --Hub:DatabasePath=...]");
            return 64;
        }

        var takeoverId = Guid.NewGuid();
        var options = new HubClientOptions { Company = CompanyIds.PorscheDeutschland, Broker = BrokerSettings.Development("pd") };
        config.GetSection("Broker").Bind(options.Broker);
        if (await DeskCommands.PublishAs(options, client => client.AnnounceDealerOperatorChange(new DealerOperatorChangeAnnounced
            {
                TakeoverId = takeoverId, DealerId = dealer, FromOperator = from, ToOperator = to, EffectiveAt = at, AnnouncedBy = CompanyIds.PorscheDeutschland,
            })) is { } failed)
        {
            return failed;
        }

        Console.WriteLine(takeoverId);
        return config["follow"] is null ? 0 : await Progress(args.Append($"--takeover={takeoverId}").ToArray());
    }

    /// <summary>A takeover's progress: customers handed over of how many; with --follow, until it completes.</summary>
    public static Task<int> Progress(string[] args) => DeskCommands.WithDesk(args, async (desk, config) =>
    {
        if (!Guid.TryParse(config["takeover"], out var takeoverId))
        {
            Console.Error.WriteLine("usage: hub takeover-status --takeover <id> [--follow]");
            return 64;
        }

        var follow = config["follow"] is not null;
        var deadline = DateTime.UtcNow.AddHours(1);
        while (true)
        {
            var progress = await desk.Takeover(takeoverId);
            if (progress is null)
            {
                if (follow && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(500);
                    continue;
                }

                Console.Error.WriteLine($"hub: no takeover {takeoverId} at this hub");
                return 1;
            }

            Console.Write(follow && !Console.IsOutputRedirected ? $"\r{progress}   " : progress + Environment.NewLine);
            if (!follow || progress.CompletedAt is not null)
            {
                if (follow && !Console.IsOutputRedirected)
                {
                    Console.WriteLine();
                }

                return 0;
            }

            await Task.Delay(500);
        }
    });
}
