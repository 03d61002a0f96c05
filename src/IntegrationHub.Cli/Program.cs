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
        """);
    return 64;
}
