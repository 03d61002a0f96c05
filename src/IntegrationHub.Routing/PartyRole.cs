namespace IntegrationHub.Routing;

/// <summary>The columns of the routing matrix: a dealer operator, or one of the fixed joint controllers.</summary>
public enum PartyRole
{
    Dealer,
    PD,
    PAG,
    PFS,
    PFSKG,
    PSM,
}
