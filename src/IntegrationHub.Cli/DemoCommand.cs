using System.ComponentModel;
using System.Runtime.InteropServices;
using IntegrationHub.Hub;
using IntegrationHub.Ops;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IntegrationHub.Cli;

/// <summary>
/// The main job: the hub, every company worker, both dealer operators and the operations dashboard, on
/// MassTransit's in-memory transport in one process (or on RabbitMQ with --broker or RABBITMQ_URL), each
/// with its own SQLite file under the demo's data folder, playing <see cref="DemoScenario"/> and telling
/// what happens; the dashboard's address and token are said first.
/// </summary>
internal sealed class DemoCommand : AsyncCommand<DemoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[DIRECTORY]")]
        [Description("The demo's data folder (default data/demo); it may hold only what an earlier demo left there")]
        public string Directory { get; init; } = Path.Combine("data", "demo");

        [CommandOption("--broker")]
        [Description("Play on RabbitMQ (RABBITMQ_URL or 127.0.0.1:5672 with the definitions loaded) instead of in memory")]
        public bool Broker { get; init; }

        [CommandOption("--wait")]
        [Description("Keep the dashboard up after the scenario until Ctrl+C, also when input is not a terminal")]
        public bool Wait { get; init; }

        [CommandOption("--no-wait")]
        [Description("End with the scenario, also in a terminal (by default the dashboard stays up until Ctrl+C when input is a terminal)")]
        public bool NoWait { get; init; }

        public bool OnRabbitMq => Broker || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("RABBITMQ_URL"));

        /// <summary>A person at a terminal gets the dashboard until Ctrl+C; a script or a test gets the demo's end.</summary>
        public bool KeepsDashboard => Wait || (!NoWait && !Console.IsInputRedirected);

        public override ValidationResult Validate() =>
            Wait && NoWait ? ValidationResult.Error("--wait and --no-wait contradict each other: give one") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.GetFullPath(settings.Directory);
        if (!ClearOwnFiles(dataDirectory))
        {
            Console.Error.WriteLine($"hub: demo: {dataDirectory} holds files that are not the demo's stores; give an empty or a new directory");
            return HubCommandLine.Usage;
        }

        var options = RepositoryFiles.Resolve(new HubOptions { DatabasePath = Path.Combine(dataDirectory, "hub.db") });
        if (settings.OnRabbitMq && await BrokerProbe.Problem(Platform.BrokerSettings.Development("hub")) is { } problem)
        {
            Console.Error.WriteLine($"hub: demo: {problem}");
            return HubCommandLine.Unavailable;
        }

        await using var stage = settings.OnRabbitMq ? DemoStage.OnRabbitMq(options) : DemoStage.InMemory(options);
        await stage.Start();
        DemoDashboard dashboard;
        try
        {
            dashboard = await DemoDashboard.Start(options.DatabasePath, inMemory: !settings.OnRabbitMq);
        }
        catch (Exception ex) when (ex is OpsSettingsException or IOException)
        {
            Console.Error.WriteLine($"hub: demo: the dashboard cannot start: {ex.Message}");
            return HubCommandLine.Usage;
        }

        await using (dashboard)
        {
            Console.WriteLine($"Integration hub demo on {stage.Transport}");
            Console.WriteLine($"the hub, {string.Join(", ", stage.Workers.Select(w => w.CompanyId))} each with its own SQLite store in {dataDirectory}");
            Announce(dashboard, settings);
            var scenario = new DemoScenario(stage);
            var exitCode = 0;
            try
            {
                await scenario.Play(dataDirectory);
                Console.WriteLine();
                Console.WriteLine($"demo: done: {scenario.Captures} captures, consent given and withdrawn, an objection, a restriction, an access report, an erasure and a dealer takeover");
                Console.WriteLine($"look further: hub ledger --customer {DemoScenario.Anna} --Hub:DatabasePath={options.DatabasePath}");
            }
            catch (DemoIncompleteException ex)
            {
                Console.WriteLine();
                Console.WriteLine($"demo: incomplete: {ex.Message}");
                exitCode = 1;
            }

            if (settings.KeepsDashboard)
            {
                Console.WriteLine($"dashboard: still up at {dashboard.Address} (customer Anna: {dashboard.Address}/customer.html?id={DemoScenario.Anna}); Ctrl+C ends the demo");
                await UntilStopped(cancellationToken);
            }

            return exitCode;
        }
    }

    private static void Announce(DemoDashboard dashboard, Settings settings)
    {
        Console.WriteLine($"dashboard: {dashboard.Address}" + (dashboard.Fallback is null ? "" : $" ({dashboard.Fallback})"));
        Console.WriteLine(dashboard.TokenMade
            ? $"dashboard: sign in with the token {dashboard.Token} (made for this run; --Ops:Token=<at least 16 characters> sets your own)"
            : "dashboard: sign in with your Ops:Token");
        Console.WriteLine(settings.OnRabbitMq
            ? "dashboard: requests, customers, the outbox, and the queues of RabbitMQ"
            : "dashboard: requests, customers and the outbox from the demo's store; no queues, as the demo runs on the in-memory transport (--broker for RabbitMQ)");
        Console.WriteLine(settings.KeepsDashboard
            ? "dashboard: stays up after the scenario until Ctrl+C (--no-wait ends with the scenario)"
            : "dashboard: stops with the scenario, as input is not a terminal or --no-wait was given (--wait keeps it up)");
    }

    /// <summary>Until Ctrl+C or SIGTERM: the dashboard then stops with the demo's hub and workers.</summary>
    private static async Task UntilStopped(CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ConsoleCancelEventHandler interrupt = (_, e) =>
        {
            e.Cancel = true;
            stopped.TrySetResult();
        };
        Console.CancelKeyPress += interrupt;
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stopped.TrySetResult();
        });
        await using var cancelled = cancellationToken.Register(() => stopped.TrySetResult());
        try
        {
            await stopped.Task;
        }
        finally
        {
            Console.CancelKeyPress -= interrupt;
        }

        Console.WriteLine("demo: stopped");
    }

    /// <summary>
    /// Starts from an empty folder, deleting only what an earlier demo left (its SQLite files and
    /// access reports): a folder with anything else in it is somebody's, and is left alone.
    /// </summary>
    private static bool ClearOwnFiles(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var entries = System.IO.Directory.EnumerateFileSystemEntries(directory).ToList();
        if (entries.Any(e => !File.Exists(e) || !IsDemoFile(Path.GetFileName(e))))
        {
            return false;
        }

        entries.ForEach(File.Delete);
        return true;
    }

    private static bool IsDemoFile(string name) =>
        name.EndsWith(".db") || name.EndsWith(".db-wal") || name.EndsWith(".db-shm")
        || (name.StartsWith("access-report-") && (name.EndsWith(".json") || name.EndsWith(".html")));
}
