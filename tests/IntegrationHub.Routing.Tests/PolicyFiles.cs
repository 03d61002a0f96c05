namespace IntegrationHub.Routing.Tests;

internal static class PolicyFiles
{
    public static string PolicyPath => Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json");

    public static string PartiesPath => Path.Combine(AppContext.BaseDirectory, "policy", "parties.json");

    public static RoutingPolicy Policy() => RoutingPolicyLoader.LoadFile(PolicyPath);

    public static PartyDirectory Parties() => PartyDirectory.LoadFile(PartiesPath);

    public static OperationalNeedPolicy Decision() => new(Policy(), Parties());
}
