using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts;

/// <summary>The situations in which customer data arise (seed, section 2).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaptureContext>))]
public enum CaptureContext
{
    /// <summary>Pre-contract activities such as a vehicle configuration.</summary>
    Configuration,
    /// <summary>Purchase and vehicle contracts; always comes with a <see cref="ContractKind"/>.</summary>
    VehicleContract,
    /// <summary>Parts and accessories: Lifestyle, Design, Tequipment, Classic.</summary>
    PartsAccessories,
    Workshop,
    MyPorscheConnect,
    Events,
}
