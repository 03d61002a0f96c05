using System.Text.Json;
using IntegrationHub.Client;
using IntegrationHub.Contracts;
using IntegrationHub.Hub;
using IntegrationHub.Hub.Requests;
using IntegrationHub.Platform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Cli;

/// <summary>
/// What data-protection staff and operators do with the hub from a shell: submit a request on behalf
/// of a company, follow it, print an access report, write a portability package, show a ledger.
/// Reading commands open the hub's store (Hub:DatabasePath); submitting goes through the broker with
/// the receiving company's login.
/// </summary>
internal static class DeskCommands
{
    public static async Task<int> Submit(string[] args)
    {
        var kind = args.FirstOrDefault();
        var config = Configuration(args.Skip(1).ToArray());
        var customer = Guid.TryParse(config["customer"], out var c) ? c : Guid.Empty;
        var receivedBy = (config["received-by"] ?? "PD").ToUpperInvariant();
        if (kind is null || customer == Guid.Empty)
        {
            Console.Error.WriteLine("usage: hub request <access|portability|erasure|rectification|restriction|lift-restriction|objection|direct-marketing-objection> --customer <id> [--received-by PD] [--values file.json]");
            return 64;
        }

        CategoryData? corrections = null;
        if (kind == "rectification")
        {
            (corrections, var problem) = CorrectionsFile.Read(config["values"]);
            if (problem is not null)
            {
                Console.Error.WriteLine($"hub: {problem}");
                return 65;
            }
        }

        var requestId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        Func<HubClient, Task>? submit = kind switch
        {
            "access" => client => client.RequestAccess(new AccessRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now }),
            "portability" => client => client.RequestPortability(new PortabilityRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now, TransmitTo = config["transmit-to"] }),
            "rectification" => client => client.RequestRectification(new RectificationRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now, Corrections = corrections! }),
            "erasure" => client => client.RequestErasure(new ErasureRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now }),
            "restriction" => client => client.RequestRestriction(new RestrictionRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now }),
            "lift-restriction" => client => client.RequestRestrictionLift(new RestrictionLiftRequested { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now }),
            "objection" => client => client.LodgeObjection(new ObjectionLodged { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now, CompellingGrounds = config["compelling-grounds"] }),
            "direct-marketing-objection" => client => client.LodgeDirectMarketingObjection(new DirectMarketingObjectionLodged { RequestId = requestId, CustomerId = customer, ReceivedBy = receivedBy, ReceivedAt = now }),
            _ => null,
        };

        // Refused before anything connects: the kind is known without the broker.
        if (submit is null)
        {
            Console.Error.WriteLine($"hub: unknown request kind '{kind}'");
            return 64;
        }

        return await PublishAndPrint(config, receivedBy, submit, requestId);
    }

    /// <summary>
    /// Art. 7(3) GDPR, recorded by staff on the customer's behalf: the consent withdrawal as the company
    /// that took it (ConsentWithdrawn, capturedBy that company), through the channel the customer used.
    /// Prints the withdrawal's id, which is also the id of the deletion it starts (hub status --request).
    /// </summary>
    public static async Task<int> Consent(string[] args)
    {
        var config = Configuration(args.Skip(1).ToArray());
        var customer = Guid.TryParse(config["customer"], out var c) ? c : Guid.Empty;
        var receivedBy = (config["received-by"] ?? "PD").ToUpperInvariant();
        if (args.FirstOrDefault() != "withdraw" || customer == Guid.Empty || config["channel"] is not { } channelName)
        {
            Console.Error.WriteLine($"usage: hub consent withdraw --customer <id> --channel <{string.Join("|", Enum.GetNames<ConsentChannel>())}> [--received-by PD] [--wording <version>]");
            return 64;
        }

        if (!Enum.TryParse<ConsentChannel>(channelName, ignoreCase: true, out var channel) || !Enum.IsDefined(channel) || int.TryParse(channelName, out _))
        {
            Console.Error.WriteLine($"hub: --channel '{channelName}' is not a consent channel; channels: {string.Join(", ", Enum.GetNames<ConsentChannel>())}");
            return 64;
        }

        var withdrawal = new ConsentWithdrawn
        {
            ConsentId = Guid.NewGuid(), CustomerId = customer, Channel = channel, WordingVersion = config["wording"], CapturedBy = receivedBy,
            WithdrawnAt = DateTimeOffset.UtcNow,
        };
        return await PublishAndPrint(config, receivedBy, client => client.WithdrawConsent(withdrawal), withdrawal.ConsentId);
    }

    /// <summary>
    /// Art. 12(3) GDPR: extends an open request's deadline by two months with the reason told to the
    /// customer (ExtendRequestDeadline as the deciding company). Reads the request from the hub's store
    /// first, so that a request that is unknown, done or extended already is refused here with a reason.
    /// </summary>
    public static Task<int> Extend(string[] args) => WithDesk(args, async (desk, config) =>
    {
        var decidedBy = (config["decided-by"] ?? "PD").ToUpperInvariant();
        if (!Guid.TryParse(config["request"], out var requestId) || string.IsNullOrWhiteSpace(config["reason"]))
        {
            Console.Error.WriteLine("usage: hub extend --request <id> --reason <why, as told to the customer> [--decided-by PD]");
            return 64;
        }

        var status = await desk.Status(requestId);
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

        var extension = new ExtendRequestDeadline
        {
            ExtensionId = Guid.NewGuid(), RequestId = requestId, CustomerId = status!.CustomerId!.Value, DecidedBy = decidedBy, Reason = config["reason"]!,
        };
        return await PublishAndPrint(config, decidedBy, client => client.ExtendDeadline(extension), requestId);
    });

    /// <summary>Publishes as the company through the broker (refusing at once when it cannot be reached) and prints the id.</summary>
    private static async Task<int> PublishAndPrint(IConfiguration config, string company, Func<HubClient, Task> publish, Guid id)
    {
        var options = new HubClientOptions { Company = company, Broker = BrokerSettings.Development(BrokerNames.CompanyUser(company)) };
        config.GetSection("Broker").Bind(options.Broker);
        if (await BrokerProbe.Problem(options.Broker) is { } problem)
        {
            Console.Error.WriteLine($"hub: {problem}");
            return 69;
        }

        if (await PublishAs(options, publish) is { } failed)
        {
            return failed;
        }

        Console.WriteLine(id);
        return 0;
    }

    /// <summary>Publishes through a <see cref="HubClient"/> host of the company; null when the broker confirmed, else the exit code.</summary>
    internal static async Task<int?> PublishAs(HubClientOptions options, Func<HubClient, Task> publish)
    {
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
            return 69;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>The only thing that goes out about data that were merely counted: groups of at least ten customers.</summary>
    public static Task<int> Aggregates(string[] args) => WithDesk(args, async (desk, config) =>
    {
        var to = DateOnly.TryParse(config["to"], System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : DateOnly.FromDateTime(DateTime.UtcNow);
        var from = DateOnly.TryParse(config["from"], System.Globalization.CultureInfo.InvariantCulture, out var f) ? f : to.AddDays(-30);
        Console.WriteLine(JsonSerializer.Serialize(await desk.Aggregates(from, to), RequestDesk.ReportJson));
        return 0;
    });

    public static Task<int> Status(string[] args) => WithDesk(args, async (desk, config) =>
    {
        if (!Guid.TryParse(config["request"], out var requestId))
        {
            Console.Error.WriteLine("usage: hub status --request <id>");
            return 64;
        }

        var status = await desk.Status(requestId);
        Console.WriteLine(status?.ToString() ?? $"no request {requestId} at this hub");
        return status is null ? 1 : 0;
    });


    public static Task<int> Ledger(string[] args) => WithDesk(args, async (desk, config) =>
    {
        if (!Guid.TryParse(config["customer"], out var customerId))
        {
            Console.Error.WriteLine("usage: hub ledger --customer <id>");
            return 64;
        }

        var customer = await desk.Customer(customerId);
        if (customer is null)
        {
            Console.WriteLine($"no customer {customerId} at this hub (never known, or erased)");
            return 1;
        }

        Console.WriteLine($"customer {customerId}: {customer.CurrentState}, consent {(customer.ConsentGiven ? "given" : "not given")}, " +
                          $"restricted {customer.Restricted}, objection {customer.ObjectedGenerally}, objection to direct marketing {customer.ObjectedToDirectMarketing}, " +
                          $"Porsche Zentrum {customer.DealerId ?? "-"}");
        foreach (var held in customer.Ledger.OrderBy(h => h.Company).ThenBy(h => h.Category))
        {
            Console.WriteLine($"  {held.Company,-8} {held.Category,-26} since {held.Since:u}  last delivery {held.LastDeliveryId}");
        }

        return 0;
    });

    internal static Task<int> WithDesk(string[] args, Func<RequestDesk, IConfiguration, Task<int>> work) => WithStore(args, work);

    /// <summary>Runs one reading command against the hub's store (Hub:DatabasePath) with <typeparamref name="TDesk"/> from the hub's services.</summary>
    internal static async Task<int> WithStore<TDesk>(string[] args, Func<TDesk, IConfiguration, Task<int>> work) where TDesk : notnull
    {
        var config = Configuration(args);
        var options = RepositoryFiles.Resolve(config.GetSection("Hub").Get<HubOptions>() ?? new HubOptions());
        if (!File.Exists(options.DatabasePath))
        {
            Console.Error.WriteLine($"hub: no hub store at {options.DatabasePath} (set --Hub:DatabasePath)");
            return 66;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHubCore(options);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TDesk>(), config);
    }

    // "--follow" is a switch; the command-line provider would take the next argument as its value.
    internal static IConfiguration Configuration(string[] args) =>
        new ConfigurationBuilder().AddEnvironmentVariables()
            .AddCommandLine(args.Select(a => a == "--follow" ? "--follow=true" : a).ToArray()).Build();
}
