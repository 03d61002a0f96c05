using IntegrationHub.Cli;
using IntegrationHub.Routing;

try
{
    return args.FirstOrDefault() switch
    {
        "demo" => await DemoCommand.Run(args[1..]),
        "serve" => await ServeCommand.RunHub(args[1..]),
        "worker" => await ServeCommand.RunWorker(args[1..]),
        "wire-samples" => WireSamples.Print(),
        "request" => await DeskCommands.Submit(args[1..]),
        "consent" => await DeskCommands.Consent(args[1..]),
        "extend" => await DeskCommands.Extend(args[1..]),
        "status" => await DeskCommands.Status(args[1..]),
        "access-report" => await ReportCommands.AccessReport(args[1..]),
        "portability" => await ReportCommands.Portability(args[1..]),
        "ledger" => await DeskCommands.Ledger(args[1..]),
        "takeover" => await TakeoverCommands.Takeover(args[1..]),
        "takeover-status" => await TakeoverCommands.Progress(args[1..]),
        "aggregates" => await DeskCommands.Aggregates(args[1..]),
        "outbox" => await OutboxCommand.Run(args[1..]),
        _ => Usage(),
    };
}
catch (PolicyValidationException ex)
{
    Console.Error.WriteLine($"hub: refusing to start: {ex.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: hub <command>
          demo                 hub and all company workers in one process (in-memory transport, SQLite files
                               under ./data/demo); routes sample captures and prints every routing decision
          serve                the hub against RabbitMQ (configuration: Broker:*, Hub:*, RABBITMQ_URL)
          worker <COMPANY>     one company worker against RabbitMQ, e.g. "worker PFS" or "worker OP-NORD"
          wire-samples         one sample JSON body per message type (the samples of docs/amqp-interface.md)
          request <kind> --customer <id> [--received-by PD]
                               submit a data-subject request through the broker as the receiving company;
                               kinds: access, portability, erasure, rectification (with --values file.json:
                               {"<category>": {"<field>": "<corrected value>"}}), restriction, lift-restriction,
                               objection, direct-marketing-objection; prints the request id
          consent withdraw --customer <id> --channel <Dealer|Web|Email|Phone|Post> [--received-by PD]
                               record the customer's consent withdrawal on their behalf; prints its id
          extend --request <id> --reason <text> [--decided-by PD]
                               extend an open request's deadline by two months (once), with the reason
          status --request <id>                  where a request stands: received, waiting (for whom), overdue, done
          access-report --request <id> [--out d] write the access report as JSON and HTML
          portability --request <id> [--out f]   write the portability package (zip: manifest, JSON, CSV)
          ledger --customer <id>                 who holds which categories of a customer, since when
          takeover --dealer <PZ> --from <OP> --to <OP> [--at <time>] [--follow]
                               announce (as PD) that a Porsche Zentrum passes to another operator;
                               --follow shows the hand-over's progress until it completes
          takeover-status --takeover <id> [--follow]
          aggregates [--from <date>] [--to <date>]  customers per day, context and category of data that were
                               only counted (no consent, or statistics); groups under 10 are withheld
          outbox [--release <id>]              messages waiting and parked (with reason) in the hub's outbox and which
                               hub holds the sending lease; --release (or --retry) puts a parked message back
          (status, extend, access-report, portability, ledger, takeover progress and outbox read the hub's store: --Hub:DatabasePath=...)
        """);
    return 64;
}
