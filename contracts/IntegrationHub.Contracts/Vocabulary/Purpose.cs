using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts;

/// <summary>Why data are processed (seed, sections 3 and 4).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Purpose>))]
public enum Purpose
{
    /// <summary>Service and support, legal duties, needs analysis: routed by operational need.</summary>
    JointCare,
    /// <summary>Personalised offers, profile, segmentation, e-mail tracking: only with consent.</summary>
    IndividualCare,
    /// <summary>Blocked hub-wide after an objection to direct marketing (Art. 21(2),(3) GDPR).</summary>
    DirectMarketing,
    /// <summary>Statistics without personal data: counted by the hub, never forwarded.</summary>
    AggregatedAnalytics,
}
