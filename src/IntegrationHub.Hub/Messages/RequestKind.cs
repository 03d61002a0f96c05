using System.Text.Json.Serialization;

namespace IntegrationHub.Hub.Messages;

[JsonConverter(typeof(JsonStringEnumConverter<RequestKind>))]
public enum RequestKind
{
    ConsentWithdrawal,
    Objection,
    DirectMarketingObjection,
    Restriction,
    RestrictionLift,
    Rectification,
    Erasure,
    /// <summary>Art. 15 GDPR: gathered from every holder into one report.</summary>
    Access,
    /// <summary>Art. 20 GDPR: gathered from every holder into one package.</summary>
    Portability,
    /// <summary>Dealer takeover, step 2: the former operator erases what it handed over (reason: operator change).</summary>
    OperatorChangeErasure,
}
