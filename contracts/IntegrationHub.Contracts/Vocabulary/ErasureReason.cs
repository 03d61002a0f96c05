using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<ErasureReason>))]
public enum ErasureReason
{
    /// <summary>The customer asked for erasure (Art. 17 GDPR).</summary>
    DataSubjectRequest,
    /// <summary>The Porsche Zentrum passed to another operator company (DOMAIN.md section 6).</summary>
    OperatorChange,
}
