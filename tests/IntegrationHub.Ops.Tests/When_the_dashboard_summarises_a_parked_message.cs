using System.Text;
using System.Text.Json;
using IntegrationHub.Ops;
using RabbitMQ.Client;

namespace IntegrationHub.Ops.Tests;

/// <summary>What the dashboard shows of a parked message (ids, companies, categories, reason), never a value, and where it may go back to.</summary>
public sealed class When_the_dashboard_summarises_a_parked_message
{
    private static readonly Guid Capture = Guid.NewGuid();
    private static readonly Guid Customer = Guid.NewGuid();

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        captureId = Capture, customerId = Customer, sourceCompany = "PD", dealerId = "PZ-HAMBURG", vehicleId = "WP0ZZZ99ZTS392124",
        context = "Workshop", purpose = "JointCare", note = "Ms Beispiel called",
        data = new Dictionary<string, object>
        {
            ["ContactIdentification"] = new { familyName = "Beispiel", email = "anna@example.org" },
            ["NotACategory"] = new { x = "y" },
        },
    }));

    [Fact]
    public void Should_show_ids_companies_categories_and_the_reason_and_no_value()
    {
        var properties = new BasicProperties
        {
            MessageId = "m-1", UserId = "pd",
            Headers = new Dictionary<string, object?>
            {
                ["MT-MessageType"] = Encoding.UTF8.GetBytes("urn:message:IntegrationHub.Contracts:CustomerDataCaptured"),
                ["MT-Fault-Message"] = Encoding.UTF8.GetBytes("capture refused: dealerId is not a known Porsche Zentrum"),
                ["MT-Fault-Timestamp"] = "2026-11-29T10:00:00Z",
            },
        };

        var summary = ParkedSummary.Of("hub.inbound_error", properties, Body);

        Assert.Equal("CustomerDataCaptured", summary.Type);
        Assert.Equal("capture refused: dealerId is not a known Porsche Zentrum", summary.Reason);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero), summary.At);
        Assert.Equal("pd", summary.Sender);
        Assert.Equal(new Dictionary<string, Guid> { ["captureId"] = Capture, ["customerId"] = Customer }, summary.Ids);
        Assert.Equal("PZ-HAMBURG", summary.Parties["dealerId"]);
        Assert.Equal(["ContactIdentification"], summary.Categories);
        Assert.Equal("hub.inbound", summary.ReturnTo);
        var shown = JsonSerializer.Serialize(summary);
        foreach (var value in new[] { "Beispiel", "anna@example.org", "WP0ZZZ99ZTS392124", "NotACategory" })
        {
            Assert.DoesNotContain(value, shown);
        }
    }

    [Theory]
    [InlineData("company.pag", "company.pag", null)]
    [InlineData("hub.inbound", "hub.inbound", null)]
    [InlineData("ops.events", null, "it was dead-lettered from ops.events, which is not the hub's or a company's queue")]
    public void Should_send_a_dead_lettered_message_back_to_the_queue_it_died_in_when_that_is_ours(string diedIn, string? returnTo, string? refusal)
    {
        var properties = new BasicProperties
        {
            MessageId = "m-2",
            Headers = new Dictionary<string, object?>
            {
                ["x-death"] = new List<object> { new Dictionary<string, object?> { ["queue"] = Encoding.UTF8.GetBytes(diedIn), ["reason"] = Encoding.UTF8.GetBytes("delivery_limit") } },
            },
        };

        var summary = ParkedSummary.Of("dead-letter", properties, Body);

        Assert.Equal(returnTo, summary.ReturnTo);
        Assert.Equal(refusal, summary.CannotReturn);
        Assert.Equal($"dead-lettered from {diedIn}: delivery_limit", summary.Reason);
    }

    [Fact]
    public void Should_send_a_company_s_parked_message_back_to_the_company_s_queue_as_the_hub_sent_it()
    {
        var properties = new BasicProperties
        {
            MessageId = "m-3", UserId = "pag",
            Headers = new Dictionary<string, object?> { ["x-original-user-id"] = Encoding.UTF8.GetBytes("hub") },
        };

        var summary = ParkedSummary.Of("company.pag_error", properties, Body);

        Assert.Equal("company.pag", summary.ReturnTo);
        Assert.Equal("hub", summary.Sender);
    }

    [Fact]
    public void Should_refuse_to_start_without_a_token()
    {
        var refusal = Assert.Throws<OpsSettingsException>(() => OpsApplication.Build(["--Ops:Token=short"]));
        Assert.Contains("Ops:Token", refusal.Message);
    }
}
