using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts;

/// <summary>The kind of a <see cref="CaptureContext.VehicleContract"/>; it decides which financial services company needs the data.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContractKind>))]
public enum ContractKind
{
    Purchase,
    Financing,
    Leasing,
    Rental,
    Insurance,
}
