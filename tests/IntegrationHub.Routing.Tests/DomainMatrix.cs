using IntegrationHub.Contracts;
using IntegrationHub.Routing;

namespace IntegrationHub.Routing.Tests;

/// <summary>
/// DOMAIN.md section 3, transcribed by hand and independently of routing-policy.json, so that the
/// policy file is checked against the domain text and not against itself.
/// </summary>
internal static class DomainMatrix
{
    private const string All = "all";
    private const string Never = "-";

    // Columns: dealer, PD, PAG, PFS, PFSKG, PSM.
    private static readonly Dictionary<DataCategory, string[]> Rows = new()
    {
        [DataCategory.ContactIdentification] = [All, All, "VehicleContract Workshop MyPorscheConnect", "Financing Insurance", "Leasing Rental", "PartsAccessories MyPorscheConnect"],
        [DataCategory.Contract] = ["Configuration VehicleContract PartsAccessories Workshop", "VehicleContract PartsAccessories", "Purchase", "Financing Insurance", "Leasing Rental", "PartsAccessories MyPorscheConnect"],
        [DataCategory.VehicleUsage] = ["Configuration VehicleContract PartsAccessories Workshop Events", All, All, "Financing Insurance", "Leasing Rental", "MyPorscheConnect"],
        [DataCategory.CreditBank] = [Never, Never, Never, "Financing Insurance", "Leasing Rental", Never],
        [DataCategory.PersonalProfessional] = [Never, Never, Never, "Financing Insurance", "Leasing Rental", Never],
        [DataCategory.Voluntary] = [All, All, Never, Never, Never, Never],
        [DataCategory.FinancingLeasingInsurance] = [Never, Never, Never, "Financing Insurance", "Leasing Rental", Never],
        [DataCategory.VehicleDiagnostics] = ["Workshop", Never, "Workshop MyPorscheConnect", Never, Never, Never],
        [DataCategory.VehicleHistory] = ["Workshop", "Workshop", "Workshop", Never, Never, Never],
        [DataCategory.PorscheIdAccount] = [Never, Never, "MyPorscheConnect", Never, Never, "MyPorscheConnect"],
        [DataCategory.Identification] = ["VehicleContract Workshop", "VehicleContract", All, "Financing Insurance", "Leasing Rental", "MyPorscheConnect"],
        [DataCategory.Entitlement] = [Never, Never, "MyPorscheConnect", Never, Never, "MyPorscheConnect"],
        // "with consent" for everyone; the consent gate is tested separately.
        [DataCategory.InterestProfile] = [All, All, All, All, All, All],
        [DataCategory.EmailEngagement] = [Never, All, Never, Never, Never, All],
    };

    private static readonly PartyRole[] Columns = [PartyRole.Dealer, PartyRole.PD, PartyRole.PAG, PartyRole.PFS, PartyRole.PFSKG, PartyRole.PSM];

    /// <summary>Every context a capture can have: the five plain ones and each kind of vehicle contract.</summary>
    public static IEnumerable<(CaptureContext Context, ContractKind? Kind)> Situations()
    {
        foreach (var context in Enum.GetValues<CaptureContext>())
        {
            if (context == CaptureContext.VehicleContract)
            {
                foreach (var kind in Enum.GetValues<ContractKind>())
                {
                    yield return (context, kind);
                }
            }
            else
            {
                yield return (context, null);
            }
        }
    }

    public static bool Needs(DataCategory category, PartyRole role, CaptureContext context, ContractKind? kind)
    {
        var cell = Rows[category][Array.IndexOf(Columns, role)];
        if (cell == All)
        {
            return true;
        }

        var words = cell.Split(' ');
        return words.Contains(context.ToString()) || (kind is not null && words.Contains(kind.Value.ToString()));
    }

    public static IEnumerable<DataCategory> Categories => Rows.Keys;
}
