namespace IntegrationHub.Contracts;

/// <summary>
/// The fixed joint controllers (seed, section 1). Dealer operator companies have ids of their own
/// (for example <c>OP-NORD</c>), configured in the party directory, because operators change.
/// </summary>
public static class CompanyIds
{
    public const string PorscheAg = "PAG";
    public const string PorscheDeutschland = "PD";
    public const string FinancialServices = "PFS";
    public const string FinancialServicesKg = "PFSKG";
    public const string SalesMarketplace = "PSM";
}
