using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Workers;

namespace IntegrationHub.Workers.Tests;

/// <summary>
/// docs/amqp-interface.md tells a company in any language how to compute a receipt's digest; the
/// expected values here were computed from that description alone, in Python (hashlib and
/// json.dumps(fields, sort_keys=True, separators=(",", ":"))), not by the code under test.
/// </summary>
public sealed class When_a_receipt_s_digest_is_computed
{
    [Fact]
    public void Should_match_the_page_s_recipe_with_quotes_umlauts_and_characters_beyond_the_basic_plane()
    {
        HeldRecord[] records =
        [
            Record("9ddf7c12-1b12-85dc-63e8-b779223de5ac", DataCategory.ContactIdentification, new() { ["familyName"] = "Müller", ["email"] = "a\"b@example.org" }),
            Record("0b6e2a9c-4c1d-4f7e-9a55-2f3c8d1e0a77", DataCategory.VehicleHistory, new() { ["service"] = "Bremsbeläge ✓ 🚗\n", ["km"] = "42\t000" }),
        ];

        Assert.Equal("{\"email\":\"a\\\"b@example.org\",\"familyName\":\"M\\u00fcller\"}",
            RecordsDigest.CanonicalJson(JsonSerializer.Deserialize<Dictionary<string, string>>(records[0].Fields)!));
        Assert.Equal("sha256:564dd524250358d9309e8ddc027701283bdb9f10363d944c5094892d7ce66a52", CompanyCommands.Digest(records));
        Assert.Equal("sha256:564dd524250358d9309e8ddc027701283bdb9f10363d944c5094892d7ce66a52", CompanyCommands.Digest(records.Reverse()));
    }

    [Fact]
    public void Should_be_the_hash_of_nothing_when_no_record_is_concerned() =>
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", CompanyCommands.Digest([]));

    private static HeldRecord Record(string id, DataCategory category, Dictionary<string, string> fields) => new()
    {
        DeliveryId = Guid.Parse(id), Category = category, Fields = JsonSerializer.Serialize(fields), SourceCompany = "PD",
    };
}
