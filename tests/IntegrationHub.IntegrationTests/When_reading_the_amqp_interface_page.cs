using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Contracts;
using MassTransit;
using MassTransit.Serialization;

namespace IntegrationHub.IntegrationTests;

/// <summary>docs/amqp-interface.md promises systems in other languages that its samples are what the hub reads.</summary>
public sealed partial class When_reading_the_amqp_interface_page
{
    private static readonly string Page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "amqp-interface.md"));

    [Fact]
    public void Should_show_a_sample_for_every_message_type()
    {
        var documented = Samples().Select(s => s.Type).ToHashSet();
        var contracts = typeof(CustomerDataCaptured).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && t.Name != nameof(CategoryData) && t.Name != nameof(CategoryRecord) && t.GetProperties().Any(p => p.Name.EndsWith("Id", StringComparison.Ordinal)))
            .Select(t => t.Name);

        Assert.Empty(contracts.Except(documented));
        Assert.Equal(50, documented.Count);
    }

    [Fact]
    public void Should_give_samples_that_the_hub_reads_as_their_types()
    {
        foreach (var (typeName, json) in Samples())
        {
            var type = typeof(CustomerDataCaptured).Assembly.GetType("IntegrationHub.Contracts." + typeName)!;
            var message = JsonSerializer.Deserialize(json, type, SystemTextJsonMessageSerializer.Options);
            Assert.NotNull(message);
            var customerId = type.GetProperty("CustomerId")?.GetValue(message);
            Assert.True(customerId is null || (Guid)customerId != Guid.Empty, $"{typeName}: customerId did not survive");
        }
    }

    [Fact]
    public void Should_name_the_exchange_of_every_message_to_the_hub()
    {
        foreach (var type in typeof(CustomerDataCaptured).Assembly.GetExportedTypes())
        {
            var entity = type.GetCustomAttribute<EntityNameAttribute>()?.EntityName;
            if (entity?.StartsWith("inbound.", StringComparison.Ordinal) == true)
            {
                Assert.Contains($"#### {type.Name}\n\nExchange `{entity}`.", Page);
            }
        }
    }

    [Fact]
    public void Should_name_the_operator_of_every_porsche_zentrum_as_parties_json_does()
    {
        using var parties = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "infrastructure", "policy", "parties.json")));
        var expected = parties.RootElement.GetProperty("dealers").EnumerateArray()
            .Select(d => (d.GetProperty("id").GetString()!, d.GetProperty("operator").GetString()!)).Order().ToList();

        var documented = ZentrumRow().Matches(Page).Select(m => (m.Groups["dealer"].Value, m.Groups["operator"].Value)).Order().ToList();

        Assert.Equal(expected, documented);
    }

    [Fact]
    public void Should_show_no_placeholder_where_a_sample_value_belongs()
    {
        foreach (var (typeName, json) in Samples())
        {
            using var sample = JsonDocument.Parse(json);
            foreach (var field in sample.RootElement.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.String))
            {
                Assert.False(string.Equals(field.Name, field.Value.GetString(), StringComparison.OrdinalIgnoreCase), $"{typeName}.{field.Name} shows its own name");
            }
        }
    }

    [GeneratedRegex(@"^\| `(?<dealer>PZ-[A-Z]+)` \| [^|]+ \| `(?<operator>OP-[A-Z]+)` \(`op-[a-z]+`\) \|$", RegexOptions.Multiline)]
    private static partial Regex ZentrumRow();

    private static IEnumerable<(string Type, string Json)> Samples() =>
        Sample().Matches(Page).Select(m => (m.Groups["type"].Value, m.Groups["json"].Value));

    [GeneratedRegex(@"#### (?<type>\w+)\n\n[^\n]*\n\n```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Sample();
}
