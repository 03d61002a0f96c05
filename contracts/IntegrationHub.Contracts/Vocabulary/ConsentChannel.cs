using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts;

/// <summary>Where a consent was given or withdrawn (Art. 7(1) GDPR: the controller must be able to show it).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsentChannel>))]
public enum ConsentChannel
{
    Dealer,
    Web,
    Email,
    Phone,
    Post,
}
