using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts;

/// <summary>The data categories of the joint privacy notice (seed, sections 2 and 4).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataCategory>))]
public enum DataCategory
{
    ContactIdentification,
    Contract,
    VehicleUsage,
    CreditBank,
    PersonalProfessional,
    Voluntary,
    FinancingLeasingInsurance,
    VehicleDiagnostics,
    VehicleHistory,
    PorscheIdAccount,
    Identification,
    Entitlement,
    /// <summary>Affinities, preferences, potentials: consent only (seed, section 4).</summary>
    InterestProfile,
    /// <summary>Tracking pixel and click-through events: consent only (seed, section 4).</summary>
    EmailEngagement,
}
