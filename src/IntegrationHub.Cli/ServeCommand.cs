using System.ComponentModel;
using IntegrationHub.Hub;
using IntegrationHub.Hub.Operations;
using IntegrationHub.Platform;
using IntegrationHub.Platform.Operations;
using IntegrationHub.Routing;
using IntegrationHub.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IntegrationHub.Cli;

/// <summary>The hub as a long-running process against RabbitMQ.</summary>
internal sealed class HubServeCommand : AsyncCommand
{
    public override async Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(HubCommandLine.Overrides.ToArray());
        var hubOptions = builder.Configuration.GetSection("Hub").Get<HubOptions>() ?? new HubOptions();
        var broker = BrokerSettings.Development("hub");
        builder.Configuration.GetSection("Broker").Bind(broker);

        // The policy files first (a wrong one stops the hub with exit code 2 and the field named),
        // then the broker, before anything starts.
        builder.Services.AddHubOnRabbitMq(hubOptions, broker);
        HubMetrics.AddHubOperations(builder.Services, builder.Configuration);
        builder.Logging.AddOneLineConsole();
        using (var logging = LoggerFactory.Create(log => log.AddOneLineConsole()))
        {
            await UntilReachable(broker, logging.CreateLogger("hub"), cancellationToken);
        }

        await builder.Build().RunAsync(cancellationToken);
        return 0;
    }

    /// <summary>
    /// Waits for the broker as a worker does: one line per attempt naming where and why, then 2 s,
    /// doubling up to half a minute. The hub starts (and says "Application started") once it answers.
    /// </summary>
    private static async Task UntilReachable(BrokerSettings broker, ILogger logger, CancellationToken cancellationToken)
    {
        var wait = ReconnectBackoff.First;
        for (var attempt = 1; await BrokerProbe.Problem(broker) is { } problem; attempt++)
        {
            logger.LogWarning("{Problem}; attempt {Attempt}, again in {Wait:0} s", problem, attempt, wait.TotalSeconds);
            await Task.Delay(wait, cancellationToken);
            wait = ReconnectBackoff.After(wait);
        }

        logger.LogInformation("RabbitMQ at {Host}:{Port} answers; starting the hub", broker.Host, broker.Port);
    }
}

/// <summary>One company worker as a long-running process against RabbitMQ.</summary>
internal sealed class WorkerCommand : AsyncCommand<WorkerCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<COMPANY>")]
        [Description("The company whose queue the worker consumes: PAG, PD, PFS, PFSKG, PSM, OP-NORD, OP-SUED")]
        public string Company { get; init; } = "";

        // Checked against the party directory when it is at hand (a container may run without it).
        public override ValidationResult Validate()
        {
            var parties = RepositoryFiles.Resolve(HubCommandLine.Configuration().GetSection("Hub").Get<HubOptions>() ?? new HubOptions()).PartiesPath;
            return !File.Exists(parties) || PartyDirectory.LoadFile(parties).FindCompany(Company.ToUpperInvariant()) is not null
                ? ValidationResult.Success()
                : ValidationResult.Error($"unknown company '{Company}' (one of: {string.Join(", ", PartyDirectory.LoadFile(parties).Companies.Select(c => c.Id))})");
        }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var company = settings.Company.ToUpperInvariant();
        return WorkerHost.Run(HubCommandLine.Overrides.ToArray(), company, WorkerHost.RetentionOf(company));
    }
}

internal sealed class WireSamplesCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken) => WireSamples.Print();
}
