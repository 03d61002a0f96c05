using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

[Collection(HubCollection.Name)]
public sealed class When_a_company_publishes_a_capture_on_the_wire(HubProcess hub) : IAsyncLifetime
{
    private static readonly string[] CompanyQueues =
        ["company.pag", "company.pd", "company.pfs", "company.pfskg", "company.psm", "company.op-nord", "company.op-sued"];

    private IConnection _hubConnection = null!;
    private IChannel _hubChannel = null!;

    public async Task InitializeAsync()
    {
        // The hub's user may purge company queues; each test starts from empty queues.
        _hubConnection = await Broker.Connect("hub");
        _hubChannel = await Broker.Channel(_hubConnection);
        foreach (var queue in CompanyQueues.Append("hub.inbound_error"))
        {
            await _hubChannel.QueuePurgeAsync(queue);
        }
    }

    public async Task DisposeAsync()
    {
        await _hubChannel.DisposeAsync();
        await _hubConnection.DisposeAsync();
    }

    [Fact]
    public async Task Should_arrive_minimised_in_exactly_the_queues_of_the_companies_with_need()
    {
        var captureId = Guid.NewGuid();
        var customerId = Guid.NewGuid();
        // A workshop visit captured at PD for a customer of Porsche Zentrum Hamburg (run by OP-NORD).
        var body = $$"""
            {
              "captureId": "{{captureId}}",
              "customerId": "{{customerId}}",
              "sourceCompany": "PD",
              "dealerId": "PZ-HAMBURG",
              "context": "Workshop",
              "purpose": "JointCare",
              "capturedAt": "2026-11-29T10:15:00+01:00",
              "data": {
                "ContactIdentification": { "familyName": "Beispiel", "email": "kunde@example.org" },
                "VehicleDiagnostics": { "faultCode": "P0301" },
                "VehicleHistory": { "service": "brake pads replaced" },
                "Voluntary": { "note": "prefers morning appointments" },
                "CreditBank": { "iban": "DE00000000000000000000" }
              }
            }
            """;

        await using (var pd = await Broker.Connect("pd"))
        await using (var channel = await Broker.Channel(pd))
        {
            await Broker.PublishJson(channel, "inbound.customer-data-captured", BrokerNames.MessageUrn<CustomerDataCaptured>(), body, userId: "pd");
        }

        Assert.True(await hub.WaitUntilDispatched(captureId, TimeSpan.FromSeconds(30)), "the hub did not route the capture within 30 s");

        var expected = new Dictionary<string, string[]>
        {
            ["op-nord"] = ["ContactIdentification", "VehicleDiagnostics", "VehicleHistory", "Voluntary"],
            ["pag"] = ["ContactIdentification", "VehicleDiagnostics", "VehicleHistory"],
        };
        foreach (var (company, categories) in expected)
        {
            // Each company reads its own queue with its own credentials.
            await using var connection = await Broker.Connect(company);
            await using var channel = await Broker.Channel(connection);
            var delivery = Assert.Single(await Broker.Drain(channel, "company." + company));

            Assert.Equal("application/json", delivery.BasicProperties.ContentType);
            Assert.Equal(BrokerNames.MessageUrn<DeliverCustomerData>(), Broker.Header(delivery, BrokerNames.MessageTypeHeader));
            using var json = JsonDocument.Parse(delivery.Body);
            var root = json.RootElement;
            Assert.Equal(customerId, root.GetProperty("customerId").GetGuid());
            Assert.Equal(captureId, root.GetProperty("captureId").GetGuid());
            Assert.Equal(company.ToUpperInvariant(), root.GetProperty("recipient").GetString());
            Assert.Equal(categories, root.GetProperty("data").EnumerateObject().Select(p => p.Name).Order());
            Assert.DoesNotContain("iban", delivery.Body.ToArray().Select(b => (char)b).Aggregate("", (s, c) => s + c));
        }

        foreach (var queue in CompanyQueues.Except(expected.Keys.Select(c => "company." + c)))
        {
            Assert.True(await Broker.Count(_hubChannel, queue) == 0, $"{queue} received something it has no need for");
        }
    }

    [Fact]
    public async Task Should_refuse_a_capture_that_speaks_for_another_company()
    {
        var captureId = Guid.NewGuid();
        var body = new CustomerDataCaptured
        {
            CaptureId = captureId,
            CustomerId = Guid.NewGuid(),
            SourceCompany = "PFS",
            Context = CaptureContext.VehicleContract,
            ContractKind = ContractKind.Financing,
            Purpose = Purpose.JointCare,
            CapturedAt = DateTimeOffset.UtcNow,
            Data = new CategoryData { [DataCategory.ContactIdentification] = new() { ["familyName"] = "Beispiel" } },
        };

        // OP-NORD is logged in as itself (the broker checks user_id against the login) but claims to be PFS.
        await using (var operatorConnection = await Broker.Connect("op-nord"))
        await using (var channel = await Broker.Channel(operatorConnection))
        {
            await Broker.PublishJson(channel, "inbound.customer-data-captured", BrokerNames.MessageUrn<CustomerDataCaptured>(),
                JsonSerializer.Serialize(body, JsonSerializerOptions.Web), userId: "op-nord");
        }

        var refused = await WaitForError();
        Assert.Contains("speaks for PFS but was published by broker user op-nord", Broker.Header(refused, "MT-Fault-Message"));
        foreach (var queue in CompanyQueues)
        {
            var received = await Broker.Drain(_hubChannel, queue);
            Assert.True(received.Count == 0, $"{queue} received {string.Join(", ", received.Select(m => Broker.Header(m, BrokerNames.MessageTypeHeader) + " " + System.Text.Encoding.UTF8.GetString(m.Body.Span)[..80]))} after a refused capture");
        }
    }

    [Fact]
    public async Task Should_refuse_a_plain_json_body_without_its_type_header()
    {
        await using (var pd = await Broker.Connect("pd"))
        await using (var channel = await Broker.Channel(pd))
        {
            await Broker.PublishJson(channel, "inbound.customer-data-captured", "", "{\"customerId\":\"" + Guid.NewGuid() + "\"}", userId: "pd", withTypeHeader: false);
        }

        var refused = await WaitForError();
        Assert.Contains("needs the MT-MessageType header", Broker.Header(refused, "MT-Fault-Message"));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[1, 2]")]
    [InlineData("\"a capture\"")]
    public async Task Should_refuse_a_body_that_is_not_a_json_object_and_say_so(string body)
    {
        await using (var pd = await Broker.Connect("pd"))
        await using (var channel = await Broker.Channel(pd))
        {
            await Broker.PublishJson(channel, "inbound.customer-data-captured", BrokerNames.MessageUrn<CustomerDataCaptured>(), body, userId: "pd");
        }

        var refused = await WaitForError();
        Assert.Contains("the body must be one JSON object", Broker.Header(refused, "MT-Fault-Message"));
    }

    [Theory]
    [InlineData("an unknown category", "\"data\": { \"Horoscope\": { \"sign\": \"Leo\" } }", "Horoscope")]
    [InlineData("an unknown context", "\"context\": \"Showroom\", \"data\": { \"Voluntary\": { \"note\": \"x\" } }", "context")]
    [InlineData("a body that does not parse", "\"data\": { ", "")]
    public async Task Should_park_a_capture_with_a_reason(string problem, string fields, string named)
    {
        var body = $$"""
            { "captureId": "{{Guid.NewGuid()}}", "customerId": "{{Guid.NewGuid()}}", "sourceCompany": "PD",
              "context": "Events", "purpose": "JointCare", "capturedAt": "2026-11-29T10:15:00+01:00", {{fields}} }
            """;

        await using (var pd = await Broker.Connect("pd"))
        await using (var channel = await Broker.Channel(pd))
        {
            await Broker.PublishJson(channel, "inbound.customer-data-captured", BrokerNames.MessageUrn<CustomerDataCaptured>(), body, userId: "pd");
        }

        var refused = await WaitForError();
        var reason = Broker.Header(refused, "MT-Fault-Message");
        Assert.False(string.IsNullOrWhiteSpace(reason), $"{problem}: no reason given");
        Assert.Contains(named, reason);
        Assert.DoesNotContain("Leo", reason);
        foreach (var queue in CompanyQueues)
        {
            Assert.True(await Broker.Count(_hubChannel, queue) == 0, $"{queue} received part of {problem}");
        }
    }

    private async Task<BasicGetResult> WaitForError()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await _hubChannel.BasicGetAsync("hub.inbound_error", autoAck: true) is { } message)
            {
                return message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("nothing reached hub.inbound_error within 30 s");
    }
}
