using System.ComponentModel;
using IntegrationHub.Client;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Platform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IntegrationHub.Cli;

/// <summary>
/// Data-protection staff submit a data-subject request on behalf of the company that received it; the
/// request goes through the broker with that company's login. With --follow, the command then shows
/// the request until it is done, reading the hub's store.
/// </summary>
internal sealed class RequestCommand : AsyncCommand<RequestCommand.Settings>
{
    public static readonly IReadOnlyList<string> Kinds =
        ["access", "portability", "erasure", "rectification", "restriction", "lift-restriction", "objection", "direct-marketing-objection"];

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<KIND>")]
        [Description("access, portability, erasure, rectification, restriction, lift-restriction, objection or direct-marketing-objection")]
        public string Kind { get; init; } = "";

        [CommandOption("--customer <ID>")]
        [Description("The customer's id (a UUID)")]
        public Guid? Customer { get; init; }

        [CommandOption("--received-by <COMPANY>")]
        [Description("The company that received the request and submits it with its own login (default PD)")]
        public string ReceivedBy { get; init; } = CompanyIds.PorscheDeutschland;

        [CommandOption("--transmit-to <CONTROLLER>")]
        [Description("portability: the controller the package goes to")]
        public string? TransmitTo { get; init; }

        [CommandOption("--compelling-grounds <TEXT>")]
        [Description("objection: the compelling grounds recorded against it (Art. 21(1))")]
        public string? CompellingGrounds { get; init; }

        [CommandOption("--values <FILE>")]
        [Description("rectification: a JSON file with the corrected values, {\"<category>\": {\"<field>\": \"<corrected value>\"}}")]
        public string? Values { get; init; }

        [CommandOption("--follow")]
        [Description("Show the request until it is done (reads --Hub:DatabasePath)")]
        public bool Follow { get; init; }

        // Refused before anything connects: the kind and the customer are known without the broker.
        public override ValidationResult Validate() =>
            !Kinds.Contains(Kind) ? ValidationResult.Error($"unknown request kind '{Kind}' (one of: {string.Join(", ", Kinds)})")
            : Customer is null || Customer == Guid.Empty ? ValidationResult.Error("--customer <ID> is required")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var customer = settings.Customer!.Value;
        var receivedBy = settings.ReceivedBy.ToUpperInvariant();
        CategoryData? corrections = null;
        if (settings.Kind == "rectification")
        {
            // Checked whole before anything is sent; a problem names the file, category and field, never a value.
            (corrections, var problem) = CorrectionsFile.Read(settings.Values);
            if (problem is not null)
            {
                Console.Error.WriteLine($"hub: {problem}");
                return 65;
            }
        }

        Func<HubClient, Task> submit = settings.Kind switch
        {
            "access" => client => client.RequestAccess(new AccessRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now }),
            "portability" => client => client.RequestPortability(new PortabilityRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now, TransmitTo = settings.TransmitTo }),
            "rectification" => client => client.RequestRectification(new RectificationRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now, Corrections = corrections! }),
            "erasure" => client => client.RequestErasure(new ErasureRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now }),
            "restriction" => client => client.RequestRestriction(new RestrictionRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now }),
            "lift-restriction" => client => client.RequestRestrictionLift(new RestrictionLiftRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now }),
            "objection" => client => client.LodgeObjection(new ObjectionLodged { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now, CompellingGrounds = settings.CompellingGrounds }),
            _ => client => client.LodgeDirectMarketingObjection(new DirectMarketingObjectionLodged { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now }),
        };

        var published = await PublishAndPrint(receivedBy, submit, requestId);
        return published != 0 || !settings.Follow ? published : await FollowToItsEnd(requestId);
    }

    /// <summary>Publishes as the company with its own login (refusing at once when the broker cannot be reached) and prints the id.</summary>
    internal static async Task<int> PublishAndPrint(string company, Func<HubClient, Task> publish, Guid id)
    {
        var options = new HubClientOptions { Company = company, Broker = BrokerSettings.Development(BrokerNames.CompanyUser(company)) };
        HubCommandLine.Configuration().GetSection("Broker").Bind(options.Broker);
        if (await PublishAs(options, publish) is { } failed)
        {
            return failed;
        }

        Console.WriteLine(id);
        return 0;
    }

    /// <summary>Shows the request until it is done: holders answered of how many.</summary>
    private static Task<int> FollowToItsEnd(Guid requestId) => HubStore.With<RequestDesk>(async (desk, _) =>
    {
        var status = await Terminal.Follow("holders answered", () => desk.Status(requestId),
            s => s is null
                ? ($"request {requestId}: not yet at the hub", 0, 1, false)
                : ($"request {requestId}: {s.State}, answered {s.AnsweredBy.Count} of {s.AnsweredBy.Count + s.WaitingFor.Count}",
                    s.AnsweredBy.Count, s.AnsweredBy.Count + s.WaitingFor.Count, s.CompletedAt is not null),
            TimeSpan.FromHours(1));
        return status?.CompletedAt is null ? 1 : 0;
    });

    /// <summary>
    /// Publishes through a <see cref="HubClient"/> host of the company after one bounded connection
    /// attempt; null when the broker confirmed, else the exit code (said in one line).
    /// </summary>
    internal static async Task<int?> PublishAs(HubClientOptions options, Func<HubClient, Task> publish)
    {
        if (await BrokerProbe.Problem(options.Broker) is { } problem)
        {
            Console.Error.WriteLine($"hub: {problem}");
            return HubCommandLine.Unavailable;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHubClient(options);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            await publish(host.Services.GetRequiredService<HubClient>());
            return null;
        }
        catch (HubUnavailableException ex)
        {
            Console.Error.WriteLine($"hub: {ex.Message}");
            return HubCommandLine.Unavailable;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
