using System.Text.Json.Nodes;

namespace IntegrationHub.Routing.Tests;

public class When_loading_the_policy_files
{
    [Fact]
    public void Should_accept_the_shipped_policy_and_party_directory()
    {
        var policy = PolicyFiles.Policy();
        var parties = PolicyFiles.Parties();

        Assert.False(string.IsNullOrWhiteSpace(policy.Version));
        Assert.Equal("OP-NORD", parties.FindDealer("PZ-HAMBURG")!.Operator);
        Assert.Equal("company.op-nord", PartyDirectory.QueueOf("OP-NORD"));
    }

    [Theory]
    [InlineData("matrix.Contractt", "unknown data category 'Contractt'")]
    [InlineData("matrix.Contract.BMW", "unknown company role 'BMW'")]
    [InlineData("matrix.Contract.Dealer[0]", "unknown context 'Showroom'")]
    [InlineData("matrix.Contract.PFS[0]", "unknown contract kind 'Barter'")]
    [InlineData("matrix.Contract.PSM[0]", "context 'Workshop' has no contract kinds")]
    [InlineData("consentOnlyCategories[0]", "unknown data category 'Horoscope'")]
    [InlineData("purposes.Telepathy", "unknown purpose 'Telepathy'")]
    public void Should_refuse_an_unknown_name_and_say_where_it_is(string field, string problem)
    {
        var policy = ShippedPolicy();
        switch (field)
        {
            case "matrix.Contractt":
                policy["matrix"]!["Contractt"] = policy["matrix"]!["Contract"]!.DeepClone();
                break;
            case "matrix.Contract.BMW":
                policy["matrix"]!["Contract"]!["BMW"] = new JsonArray("Workshop");
                break;
            case "matrix.Contract.Dealer[0]":
                policy["matrix"]!["Contract"]!["Dealer"] = new JsonArray("Showroom");
                break;
            case "matrix.Contract.PFS[0]":
                policy["matrix"]!["Contract"]!["PFS"] = new JsonArray("VehicleContract:Barter");
                break;
            case "matrix.Contract.PSM[0]":
                policy["matrix"]!["Contract"]!["PSM"] = new JsonArray("Workshop:Leasing");
                break;
            case "consentOnlyCategories[0]":
                policy["consentOnlyCategories"] = new JsonArray("Horoscope");
                break;
            case "purposes.Telepathy":
                policy["purposes"]!["Telepathy"] = policy["purposes"]!["JointCare"]!.DeepClone();
                break;
        }

        var error = Assert.Throws<PolicyValidationException>(() => RoutingPolicyLoader.Parse(policy.ToJsonString()));

        Assert.Contains($"{field}: {problem}", error.Message);
    }

    [Fact]
    public void Should_refuse_a_matrix_with_a_missing_row_or_cell()
    {
        var policy = ShippedPolicy();
        policy["matrix"]!.AsObject().Remove("Voluntary");
        policy["matrix"]!["Contract"]!.AsObject().Remove("PSM");

        var error = Assert.Throws<PolicyValidationException>(() => RoutingPolicyLoader.Parse(policy.ToJsonString()));

        Assert.Contains("matrix.Voluntary: missing row", error.Message);
        Assert.Contains("matrix.Contract.PSM: missing", error.Message);
    }

    [Fact]
    public void Should_refuse_a_policy_without_a_version() =>
        Assert.Contains("version: required",
            Assert.Throws<PolicyValidationException>(() => RoutingPolicyLoader.Parse(Without(ShippedPolicy(), "version"))).Message);

    [Fact]
    public void Should_refuse_text_that_is_not_json() =>
        Assert.Contains("not valid JSON", Assert.Throws<PolicyValidationException>(() => RoutingPolicyLoader.Parse("{ \"version\": ")).Message);

    [Fact]
    public void Should_refuse_a_dealer_run_by_an_unknown_operator()
    {
        var parties = JsonNode.Parse(File.ReadAllText(PolicyFiles.PartiesPath))!;
        parties["dealers"]![0]!["operator"] = "OP-NOWHERE";

        var error = Assert.Throws<PolicyValidationException>(() => PartyDirectory.Parse(parties.ToJsonString()));

        Assert.Contains("dealers[0].operator: unknown dealer operator company 'OP-NOWHERE'", error.Message);
    }

    [Fact]
    public void Should_refuse_a_company_with_an_unknown_role()
    {
        var parties = JsonNode.Parse(File.ReadAllText(PolicyFiles.PartiesPath))!;
        parties["companies"]![0]!["role"] = "Carmaker";

        var error = Assert.Throws<PolicyValidationException>(() => PartyDirectory.Parse(parties.ToJsonString()));

        Assert.Contains("companies[0].role: unknown company role 'Carmaker'", error.Message);
        Assert.Contains("role PAG must be held by exactly one company, found 0", error.Message);
    }

    private static JsonNode ShippedPolicy() => JsonNode.Parse(File.ReadAllText(PolicyFiles.PolicyPath))!;

    private static string Without(JsonNode node, string field)
    {
        node.AsObject().Remove(field);
        return node.ToJsonString();
    }
}
