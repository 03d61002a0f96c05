using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.Hub.Sagas;

/// <summary>How saga instances are written to their JSON column.</summary>
public static class SagaStateSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        IgnoreReadOnlyProperties = true,
    };

    public static string Serialize<TSaga>(TSaga instance) => JsonSerializer.Serialize(instance, Options);

    public static TSaga Deserialize<TSaga>(string json) =>
        JsonSerializer.Deserialize<TSaga>(json, Options) ?? throw new InvalidOperationException($"saga row holds no {typeof(TSaga).Name}");
}
