using System.ComponentModel;
using IntegrationHub.Hub;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IntegrationHub.Cli;

/// <summary>
/// The main job: the hub, every company worker and both dealer operators, on MassTransit's in-memory
/// transport in one process (or on RabbitMQ with --broker or RABBITMQ_URL), each with its own SQLite
/// file under the demo's data folder, playing <see cref="DemoScenario"/> and telling what happens.
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

        public bool OnRabbitMq => Broker || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("RABBITMQ_URL"));
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
        Console.WriteLine($"Integration hub demo on {stage.Transport}");
        Console.WriteLine($"the hub, {string.Join(", ", stage.Workers.Select(w => w.CompanyId))} each with its own SQLite store in {dataDirectory}");
        var scenario = new DemoScenario(stage);
        try
        {
            await scenario.Play(dataDirectory);
        }
        catch (DemoIncompleteException ex)
        {
            Console.WriteLine();
            Console.WriteLine($"demo: incomplete: {ex.Message}");
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine($"demo: done: {scenario.Captures} captures, consent given and withdrawn, an objection, a restriction, an access report, an erasure and a dealer takeover");
        Console.WriteLine($"look further: hub ledger --customer {DemoScenario.Anna} --Hub:DatabasePath={options.DatabasePath}");
        return 0;
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
