using IntegrationHub.Routing;
using Microsoft.Extensions.Configuration;
using Spectre.Console.Cli;

namespace IntegrationHub.Cli;

/// <summary>
/// The `hub` command line on Spectre.Console.Cli: one command class per verb with typed, validated
/// settings and help of its own (`hub &lt;verb&gt; --help`). Configuration overrides in the form
/// `--Section:Key=value` (for example `--Hub:DatabasePath=data/demo/hub.db` or `--Broker:Port=5673`)
/// are taken out before parsing and reach the hub's configuration as they did before.
/// </summary>
internal static class HubCommandLine
{
    /// <summary>Exit code of a command used wrongly (sysexits EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>Exit code when the broker cannot be reached (sysexits EX_UNAVAILABLE).</summary>
    public const int Unavailable = 69;

    /// <summary>The `--Section:Key=value` arguments of this invocation, in their original form.</summary>
    public static IReadOnlyList<string> Overrides { get; private set; } = [];

    public static async Task<int> Run(string[] args)
    {
        var (overrides, rest) = Split(args);
        Overrides = overrides;
        var app = new CommandApp();
        app.Configure(Configure);
        try
        {
            return await app.RunAsync(rest);
        }
        catch (CommandAppException ex)
        {
            var verb = rest.FirstOrDefault(a => !a.StartsWith('-'));
            verb = ex is CommandParseException && ex.Message.StartsWith("Unknown command") ? null : verb;
            Console.Error.WriteLine($"hub: {ex.Message.TrimEnd('.')}");
            Console.Error.WriteLine(verb is null ? "see: hub --help" : $"see: hub {verb} --help");
            return Usage;
        }
        catch (Exception ex) when (ex is PolicyValidationException or Hub.Persistence.StoreSettingsException)
        {
            Console.Error.WriteLine($"hub: refusing to start: {ex.Message}");
            return 2;
        }
    }

    /// <summary>The environment, then the `--Section:Key=value` overrides; what every command reads its Hub:, Broker: and Worker: settings from.</summary>
    public static IConfiguration Configuration() =>
        new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(Overrides.ToArray()).Build();

    private static void Configure(IConfigurator config)
    {
        config.SetApplicationName("hub");
        config.PropagateExceptions();
        config.UseStrictParsing();
        config.AddCommand<DemoCommand>("demo")
            .WithDescription("The hub, every company worker, both dealer operators and the operations dashboard in one process, playing a scenario with named customers (in-memory transport; --broker for RabbitMQ). Prints the dashboard's address and token; in a terminal it stays up after the scenario until Ctrl+C.")
            .WithExample("demo").WithExample("demo", "data/demo", "--broker");
        config.AddCommand<HubServeCommand>("serve")
            .WithDescription("The hub against RabbitMQ (configuration: --Hub:*, --Broker:*, RABBITMQ_URL; health and metrics on --Ops:Port). Waits for an unreachable broker, one line per attempt, and starts once it answers.")
            .WithExample("serve", "--Hub:DatabasePath=data/walk/hub.db");
        config.AddCommand<WorkerCommand>("worker")
            .WithDescription("One company worker against RabbitMQ, consuming only its own queue.")
            .WithExample("worker", "PFS").WithExample("worker", "OP-NORD", "--Worker:DatabasePath=data/walk/OP-NORD.db");
        config.AddCommand<WireSamplesCommand>("wire-samples")
            .WithDescription("One sample JSON body per message type (the samples of docs/amqp-interface.md).");
        config.AddCommand<RequestCommand>("request")
            .WithDescription("Submit a data-subject request through the broker as the receiving company; prints the request id (--follow: shows it until done, reading --Hub:DatabasePath).")
            .WithExample("request", "access", "--customer", "2f0c8a43-6f55-4a57-9d0e-3f4c1b2a9e11", "--received-by", "PD")
            .WithExample("request", "rectification", "--customer", "2f0c8a43-6f55-4a57-9d0e-3f4c1b2a9e11", "--values", "corrections.json");
        config.AddCommand<ConsentCommand>("consent")
            .WithDescription("Record a customer's consent withdrawal on their behalf, as the company that took it; prints its id (also the id of the deletion it starts).")
            .WithExample("consent", "withdraw", "--customer", "2f0c8a43-6f55-4a57-9d0e-3f4c1b2a9e11", "--channel", "Phone", "--received-by", "PD");
        config.AddCommand<ExtendCommand>("extend")
            .WithDescription("Extend an open request's deadline by two months (once, Art. 12(3)), with the reason told to the customer. Reads --Hub:DatabasePath.")
            .WithExample("extend", "--request", "7d1c0b0e-0000-4000-8000-000000000001", "--reason", "many requests at once", "--Hub:DatabasePath=data/walk/hub.db");
        config.AddCommand<StatusCommand>("status")
            .WithDescription("Where a request stands: received, waiting (for whom), overdue, done; each holder's receipt. Reads --Hub:DatabasePath.")
            .WithExample("status", "--request", "7d1c0b0e-0000-4000-8000-000000000001", "--Hub:DatabasePath=data/walk/hub.db");
        config.AddCommand<AccessReportCommand>("access-report")
            .WithDescription("Write the access report of a request as JSON and HTML. Reads --Hub:DatabasePath.");
        config.AddCommand<PortabilityCommand>("portability")
            .WithDescription("Write the portability package of a request (zip: manifest, JSON, CSV). Reads --Hub:DatabasePath.");
        config.AddCommand<LedgerCommand>("ledger")
            .WithDescription("Who holds which categories of a customer, since when (Art. 19). Reads --Hub:DatabasePath.")
            .WithExample("ledger", "--customer", "0b6f2f0e-3c1a-4b5e-9a51-7d2a3b1c0001", "--Hub:DatabasePath=data/demo/hub.db");
        config.AddCommand<TakeoverCommand>("takeover")
            .WithDescription("Announce (as PD) that a Porsche Zentrum passes to another operator; --follow shows the hand-over until it completes.")
            .WithExample("takeover", "--dealer", "PZ-HAMBURG", "--from", "OP-NORD", "--to", "OP-SUED", "--follow", "--Hub:DatabasePath=data/walk/hub.db");
        config.AddCommand<TakeoverStatusCommand>("takeover-status")
            .WithDescription("A dealer takeover's progress: customers handed over of how many. Reads --Hub:DatabasePath.");
        config.AddCommand<AggregatesCommand>("aggregates")
            .WithDescription("Customers per day, context and category of data that were only counted (no consent, or statistics); groups under 10 are withheld.");
        config.AddCommand<OutboxCommand>("outbox")
            .WithDescription("Messages waiting and parked (with reason) in the hub's outbox, and which hub holds the sending lease; --release puts a parked message back.");
    }

    /// <summary>Separates `--Section:Key=value` (or `--Section:Key value`) from the verb and its options.</summary>
    internal static (List<string> Overrides, List<string> Arguments) Split(IReadOnlyList<string> args)
    {
        var overrides = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            var name = argument.Split('=', 2)[0];
            if (!argument.StartsWith("--") || !name.Contains(':'))
            {
                rest.Add(argument);
                continue;
            }

            if (argument.Contains('=') || i + 1 >= args.Count)
            {
                overrides.Add(argument);
            }
            else
            {
                overrides.Add($"{argument}={args[++i]}");
            }
        }

        return (overrides, rest);
    }
}
