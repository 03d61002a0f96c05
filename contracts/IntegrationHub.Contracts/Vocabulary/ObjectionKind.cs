using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<ObjectionKind>))]
public enum ObjectionKind
{
    /// <summary>Art. 21(1) GDPR: stops processing on legitimate interests unless compelling grounds are recorded.</summary>
    General,
    /// <summary>Art. 21(2),(3) GDPR: absolute; no direct marketing at all.</summary>
    DirectMarketing,
}
