using IntegrationHub.Benchmarks;

namespace IntegrationHub.Hub.Tests;

/// <summary>
/// The benchmark's open loop reads the hub's histograms from /metrics before and after a rate's measured
/// window (bench/IntegrationHub.Benchmarks, HubStages): only what was recorded in between counts,
/// percentiles are interpolated within the bucket that holds their rank, and the captures' series of a
/// histogram labelled by message type is told apart from the others'.
/// </summary>
public sealed class When_the_benchmark_reads_the_hub_s_timings
{
    private const string Scope = "otel_scope_name=\"IntegrationHub.Hub\"";

    [Fact]
    public void Should_take_the_window_s_percentiles_from_the_difference_of_two_scrapes()
    {
        var before = HubStages.Parse(Commit((0.001, 10), (0.002, 10), (0.005, 10), (0.01, 10)) + GroupSize(4, 4) + PartitionWait(1, 1));
        var after = HubStages.Parse(Commit((0.001, 60), (0.002, 150), (0.005, 208), (0.01, 210)) + GroupSize(104, 204) + PartitionWait(301, 51));

        var stages = HubStages.Between(before, after).ToDictionary(s => s.Metric);

        // 200 commits in the window: 50 up to 1 ms, 90 up to 2 ms, 58 up to 5 ms, 2 up to 10 ms.
        var commit = stages["hub_writer_commit"];
        Assert.Equal(200, commit.Recorded);
        Assert.Equal(1 + 50.0 / 90, commit.P50, 6);
        Assert.Equal(5, commit.P99, 6);
        Assert.False(commit.IsCount);

        // A count, not seconds: 100 groups of 2 units each.
        var groups = stages["hub_writer_group_size"];
        Assert.True(groups.IsCount);
        Assert.Equal(100, groups.Recorded);
        Assert.Equal(2, groups.Mean, 6);

        // Only the captures' series of the partition wait, not the erasure requests' beside it.
        Assert.Equal(300, stages["hub_message_partition_wait"].Recorded);
        Assert.DoesNotContain("hub_outbox_send", stages.Keys);
    }

    private static string Commit(params (double Le, int Count)[] buckets) =>
        "# TYPE hub_writer_commit_seconds histogram\n" +
        string.Concat(buckets.Select(b => $"hub_writer_commit_seconds_bucket{{{Scope},le=\"{b.Le.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"}} {b.Count} 1764457200000\n")) +
        $"hub_writer_commit_seconds_bucket{{{Scope},le=\"+Inf\"}} {buckets[^1].Count} 1764457200000\n" +
        $"hub_writer_commit_seconds_sum{{{Scope}}} 0.25 1764457200000\nhub_writer_commit_seconds_count{{{Scope}}} {buckets[^1].Count} 1764457200000\n";

    private static string GroupSize(int groups, int units) =>
        $"hub_writer_group_size_bucket{{{Scope},le=\"1\"}} 0\nhub_writer_group_size_bucket{{{Scope},le=\"2\"}} {groups}\n" +
        $"hub_writer_group_size_bucket{{{Scope},le=\"+Inf\"}} {groups}\nhub_writer_group_size_sum{{{Scope}}} {units}\n";

    private static string PartitionWait(int captures, int erasures) =>
        $"hub_message_partition_wait_seconds_bucket{{message=\"CustomerDataCaptured\",{Scope},le=\"0.001\"}} {captures}\n" +
        $"hub_message_partition_wait_seconds_bucket{{message=\"CustomerDataCaptured\",{Scope},le=\"+Inf\"}} {captures}\n" +
        $"hub_message_partition_wait_seconds_bucket{{message=\"ErasureRequested\",{Scope},le=\"0.001\"}} {erasures}\n" +
        $"hub_message_partition_wait_seconds_bucket{{message=\"ErasureRequested\",{Scope},le=\"+Inf\"}} {erasures}\n";
}
