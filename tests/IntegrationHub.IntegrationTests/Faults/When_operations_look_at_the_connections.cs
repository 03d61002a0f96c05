using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.IntegrationTests.Faults;

/// <summary>
/// Issue 12, finding 8: every worker's connection was named "hub". Each connection is named after its
/// company and its process (machine and process id), so that two processes of one company differ too.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class When_operations_look_at_the_connections(OwnBroker broker)
{
    [Fact]
    public async Task Should_name_each_one_after_its_company_and_its_process()
    {
        await using var world = await FaultWorld.Start(broker);
        var hubName = $"hub@{Environment.MachineName}/{world.HubProcessId}";
        // The hub's bus, and beside it (Hub:Partitioned, the default) the sequencer on hub.inbound and the check of its partitions' consumers.
        var expected = new List<(string User, string Name)> { ("hub", hubName), ("hub", hubName + "/sequencer"), ("hub", hubName + "/partition-check") };
        foreach (var holder in FaultWorld.Holders)
        {
            var user = holder.ToLowerInvariant();
            var name = $"worker-{user}@{Environment.MachineName}/{world.WorkerProcessId(holder)}";
            expected.AddRange([(user, name), (user, name + "/receive")]);
        }

        using var management = broker.Management();
        var listed = await Eventually.Until(async () => (await management.GetFromJsonAsync<List<JsonElement>>("connections"))!
                .Select(c => (User: c.GetProperty("user").GetString()!, Name: c.GetProperty("client_properties").TryGetProperty("connection_name", out var n) ? n.GetString()! : "(none)"))
                .Where(c => !c.Name.StartsWith("fault-tests-")).ToList(),
            l => l.Count >= expected.Count, "the hub's and the workers' connections listed", 30);
        Assert.Equal(expected.Order(), listed.Order());
    }
}
