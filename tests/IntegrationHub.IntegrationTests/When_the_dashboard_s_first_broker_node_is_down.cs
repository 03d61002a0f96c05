using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// Issue 10: the dashboard reads queue figures from a cluster's management API. When the first node it is
/// given is down, it reads them from the next one (every node's API shows the whole cluster).
/// </summary>
public sealed class When_the_dashboard_s_first_broker_node_is_down
{
    [Fact]
    public async Task Should_show_the_queues_from_the_next_node()
    {
        // A loopback port that was free a moment ago: a connection to it is refused, as to a node that is down.
        var down = BrokerRelay.FreePort();
        var live = Broker.Settings("ops").ManagementPort;
        await using var dashboard = await DashboardProcess.Start(Path.Combine(Path.GetTempPath(), $"ih-no-store-{Guid.NewGuid():N}.db"),
            $"--Broker:ManagementPort={down}", $"--Broker:Management=127.0.0.1:{down},127.0.0.1:{live}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", dashboard.Token);

        var queues = await http.GetFromJsonAsync<List<JsonElement>>(dashboard.Address + "/api/queues");

        Assert.Contains("hub.inbound", queues!.Select(q => q.GetProperty("name").GetString()));
    }
}
