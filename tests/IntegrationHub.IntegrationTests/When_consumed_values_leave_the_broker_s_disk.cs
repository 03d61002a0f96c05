using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// Issue 13, item 6: a value that went through a quorum queue and was consumed stays in the broker's
/// write-ahead log until it rolls over. rabbitmq.conf bounds the log's size; roll-quorum-wal.sh, run
/// every minute, bounds the time. Byte scan of the broker's whole data directory, before and after.
/// </summary>
public sealed class When_consumed_values_leave_the_broker_s_disk
{
    [Fact]
    public async Task Should_run_with_the_bounded_write_ahead_log_of_rabbitmq_conf()
    {
        var settings = await RabbitMqCtl("eval", "maps:with([wal_max_size_bytes, segment_max_entries], ra_system:fetch(quorum_queues)).");

        Assert.Contains("wal_max_size_bytes => 16777216", settings);
        Assert.Contains("segment_max_entries => 256", settings);
    }

    [Fact]
    public async Task Should_keep_no_consumed_value_on_disk_once_the_log_is_rolled_over()
    {
        var dataDirectory = (await RabbitMqCtl("eval", "rabbit_mnesia:dir().")).Trim().Trim('"');
        var markers = Enumerable.Range(0, 20).Select(i => $"residue-{Guid.NewGuid():N}-{i}").ToList();
        await using (var hub = await Broker.Connect("hub"))
        await using (var psm = await Broker.Connect("psm"))
        await using (var send = await Broker.Channel(hub))
        await using (var receive = await psm.CreateChannelAsync())
        {
            // What earlier tests left in the queue would hold its log (and the markers after it) on disk.
            await Broker.Drain(receive, "company.psm");
            foreach (var marker in markers)
            {
                await send.BasicPublishAsync("company.psm", "", mandatory: true, new BasicProperties { DeliveryMode = DeliveryModes.Persistent, UserId = "hub" },
                    Encoding.UTF8.GetBytes($"{{\"note\":\"{marker}\"}}"));
            }

            var taken = 0;
            await Eventually.Until(async () => (taken += (await Broker.Drain(receive, "company.psm")).Count) >= markers.Count, "the markers consumed");
        }

        // The positive signal first: consumed, and still on the broker's disk.
        Assert.NotEmpty(FilesHolding(dataDirectory, markers));

        var roll = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "infrastructure", "rabbitmq", "roll-quorum-wal.sh"), .. Node()])
        {
            RedirectStandardError = true,
        })!;
        await roll.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.True(roll.ExitCode == 0, await roll.StandardError.ReadToEndAsync());

        var left = await Eventually.Until(() => Task.FromResult(FilesHolding(dataDirectory, markers)), files => files.Count == 0, "the markers gone from the broker's disk", seconds: 30);
        Assert.Empty(left);
    }

    private static List<string> FilesHolding(string directory, IEnumerable<string> markers)
    {
        var patterns = markers.Select(Encoding.UTF8.GetBytes).ToList();
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(file =>
            {
                try
                {
                    var bytes = File.ReadAllBytes(file);
                    return patterns.Any(p => bytes.AsSpan().IndexOf(p) >= 0);
                }
                catch (IOException)
                {
                    return false;
                }
            })
            .ToList();
    }

    /// <summary>The node to ask: RABBITMQ_NODENAME when the tests use a node of their own, else rabbitmqctl's default.</summary>
    private static string[] Node() => Environment.GetEnvironmentVariable("RABBITMQ_NODENAME") is { Length: > 0 } node ? [node] : [];

    private static async Task<string> RabbitMqCtl(params string[] arguments)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var node in Node())
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add(node);
        }

        start.ArgumentList.Add("-q");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.True(process.ExitCode == 0, $"rabbitmqctl {string.Join(' ', arguments)}: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }
}
