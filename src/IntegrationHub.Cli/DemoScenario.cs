using IntegrationHub.Contracts;
using IntegrationHub.Hub.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Cli;

/// <summary>
/// The demo's story: every behaviour of DOMAIN.md told with fictional customers. Anna is a customer of
/// Porsche Zentrum Hamburg (run by OP-NORD), Ben shops at PSM, Clara buys and finances a car at Porsche
/// Zentrum München (OP-SUED, financing by PFS), David is a customer of Porsche Zentrum Stuttgart (also OP-NORD). Names and values are invented.
/// </summary>
internal sealed class DemoScenario(DemoStage stage)
{
    public static readonly Guid Anna = Guid.Parse("0b6f2f0e-3c1a-4b5e-9a51-7d2a3b1c0001");
    public static readonly Guid Ben = Guid.Parse("0b6f2f0e-3c1a-4b5e-9a51-7d2a3b1c0002");
    public static readonly Guid Clara = Guid.Parse("0b6f2f0e-3c1a-4b5e-9a51-7d2a3b1c0003");
    public static readonly Guid David = Guid.Parse("0b6f2f0e-3c1a-4b5e-9a51-7d2a3b1c0004");

    private readonly DemoNarrator _narrator = new(stage, new Dictionary<Guid, string> { [Anna] = "Anna", [Ben] = "Ben", [Clara] = "Clara", [David] = "David" });
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private int _ids;

    public int Captures { get; private set; }

    public async Task Play(string dataDirectory)
    {
        Console.WriteLine(DemoNarrator.Legend);
        Console.WriteLine("Customers: Anna, Ben, Clara, David (ids: " + string.Join(", ", new[] { Anna, Ben, Clara, David }.Select(c => $"{_narrator.Name(c)} {c}")) + ")");

        _narrator.Heading("Consent given: Anna agrees to individual care at Porsche Zentrum Hamburg (operator OP-NORD)");
        var consent = new ConsentGiven { ConsentId = Id(), CustomerId = Anna, Channel = ConsentChannel.Dealer, WordingVersion = "2026-03", CapturedBy = "OP-NORD", GivenAt = _now };
        await (await stage.ClientOf("OP-NORD")).GiveConsent(consent);
        await _narrator.UntilDesk(desk => desk.Customer(Anna), c => c?.ConsentGiven == true, "Anna's consent recorded");
        DemoNarrator.Say("consent recorded: granted, channel Dealer, wording 2026-03, captured by OP-NORD; her interest profile and e-mail engagement may now be shared");

        _narrator.Heading("Captures in every context: each company gets only what it operationally needs");
        await Capture("Anna's car in the workshop of Porsche Zentrum Hamburg", "OP-NORD", Anna, "PZ-HAMBURG", CaptureContext.Workshop, null, Purpose.JointCare,
            (DataCategory.ContactIdentification, ("givenName", "Anna")), (DataCategory.VehicleDiagnostics, ("faultCode", "P0301")),
            (DataCategory.VehicleHistory, ("service", "annual inspection")), (DataCategory.CreditBank, ("iban", "DE00 0000 0000 0000 0000 00")));
        await Capture("Anna leases a car from PFSKG", "PFSKG", Anna, null, CaptureContext.VehicleContract, ContractKind.Leasing, Purpose.JointCare,
            (DataCategory.ContactIdentification, ("givenName", "Anna")), (DataCategory.Contract, ("contractNumber", "L-2026-0001")),
            (DataCategory.FinancingLeasingInsurance, ("monthlyRate", "899.00")), (DataCategory.CreditBank, ("creditScore", "A")), (DataCategory.Identification, ("vin", "WP0ZZZ99ZTS000001")));
        await Capture("Anna links her car in My Porsche (PAG)", "PAG", Anna, null, CaptureContext.MyPorscheConnect, null, Purpose.JointCare,
            (DataCategory.PorscheIdAccount, ("login", "anna@example.org")), (DataCategory.Entitlement, ("service", "charging")), (DataCategory.VehicleDiagnostics, ("battery", "good")));
        await Capture("Anna at a PD event; she consented, so her interests are shared", "PD", Anna, null, CaptureContext.Events, null, Purpose.IndividualCare,
            (DataCategory.InterestProfile, ("affinity", "motorsport")), (DataCategory.EmailEngagement, ("opened", "newsletter-2026-11")));
        await Capture("Ben buys a roof box from PSM at Porsche Zentrum München; he gave no consent", "PSM", Ben, "PZ-MUENCHEN", CaptureContext.PartsAccessories, null, Purpose.JointCare,
            (DataCategory.ContactIdentification, ("givenName", "Ben")), (DataCategory.Contract, ("order", "roof box")), (DataCategory.InterestProfile, ("affinity", "travel")));
        await Capture("Clara configures a car at Porsche Zentrum München (OP-SUED)", "OP-SUED", Clara, "PZ-MUENCHEN", CaptureContext.Configuration, null, Purpose.JointCare,
            (DataCategory.ContactIdentification, ("givenName", "Clara")), (DataCategory.Contract, ("configuration", "911 Carrera T")), (DataCategory.Voluntary, ("hobby", "sailing")));
        await Capture("Clara signs a PFS financing for it at the Zentrum (OP-SUED captures it)", "OP-SUED", Clara, "PZ-MUENCHEN", CaptureContext.VehicleContract, ContractKind.Financing, Purpose.JointCare,
            (DataCategory.ContactIdentification, ("givenName", "Clara")), (DataCategory.Contract, ("contractNumber", "F-2026-0042")),
            (DataCategory.FinancingLeasingInsurance, ("term", "48 months")), (DataCategory.CreditBank, ("creditScore", "B")));
        await Capture("David books a service at Porsche Zentrum Stuttgart (also OP-NORD) in My Porsche", "PAG", David, "PZ-STUTTGART", CaptureContext.MyPorscheConnect, null, Purpose.JointCare,
            (DataCategory.ContactIdentification, ("givenName", "David")), (DataCategory.VehicleUsage, ("mileage", "42000")));

        _narrator.Heading("Consent withdrawn: Anna tells PD she no longer wants individual care");
        var withdrawal = new ConsentWithdrawn { ConsentId = Id(), CustomerId = Anna, Channel = ConsentChannel.Web, CapturedBy = "PD", WithdrawnAt = DateTimeOffset.UtcNow };
        await (await stage.ClientOf("PD")).WithdrawConsent(withdrawal);
        DemoNarrator.Say("every company that received her profile or e-mail engagement deletes it and answers:");
        await _narrator.Done(withdrawal.ConsentId);
        await Capture("Anna at another PD event, after her withdrawal", "PD", Anna, null, CaptureContext.Events, null, Purpose.IndividualCare,
            (DataCategory.InterestProfile, ("affinity", "classic cars")));

        _narrator.Heading("An objection: Ben objects to direct marketing (Art. 21(2)), lodged with PSM");
        var objection = new DirectMarketingObjectionLodged { RequestId = Id(), CustomerId = Ben, ReceivedBy = "PSM", ReceivedAt = DateTimeOffset.UtcNow };
        await (await stage.ClientOf("PSM")).LodgeDirectMarketingObjection(objection);
        await _narrator.Done(objection.RequestId);
        await Capture("PD wants to send Ben a marketing mailing", "PD", Ben, null, CaptureContext.Events, null, Purpose.DirectMarketing,
            (DataCategory.ContactIdentification, ("givenName", "Ben")), (DataCategory.Voluntary, ("mailing", "winter tyres")));

        _narrator.Heading("A restriction: Clara asks PFS to restrict the processing of her data (Art. 18)");
        var restriction = new RestrictionRequested { RequestId = Id(), CustomerId = Clara, ReceivedBy = "PFS", ReceivedAt = DateTimeOffset.UtcNow };
        await (await stage.ClientOf("PFS")).RequestRestriction(restriction);
        await _narrator.Done(restriction.RequestId);
        await Capture("Clara changes her configuration while restricted", "OP-SUED", Clara, "PZ-MUENCHEN", CaptureContext.Configuration, null, Purpose.JointCare,
            (DataCategory.Contract, ("configuration", "911 Targa 4")));

        _narrator.Heading("An access report: Anna asks PD what the companies hold about her (Art. 15)");
        var access = new AccessRequested { RequestId = Id(), CustomerId = Anna, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow };
        await (await stage.ClientOf("PD")).RequestAccess(access);
        await _narrator.Done(access.RequestId);
        await using (var scope = stage.Hub.CreateAsyncScope())
        {
            var desk = scope.ServiceProvider.GetRequiredService<RequestDesk>();
            Console.Write("   access report written: ");
            await AccessReportCommand.Write(desk, access.RequestId, dataDirectory);
        }

        _narrator.Heading("An erasure: Clara asks PD to erase her data (Art. 17)");
        var erasure = new ErasureRequested { RequestId = Id(), CustomerId = Clara, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow };
        await (await stage.ClientOf("PD")).RequestErasure(erasure);
        await _narrator.Done(erasure.RequestId);
        await _narrator.Holdings(Clara, c => c is "PFS" or "OP-SUED" or "PD");
        var tombstone = await _narrator.Tombstone(Clara);
        DemoNarrator.Say($"the hub keeps only a tombstone: a keyed hash ({tombstone.CustomerHash[..12]}…), when, and the holders' receipt digests");
        var late = new CustomerDataCaptured
        {
            CaptureId = Id(), CustomerId = Clara, SourceCompany = "OP-SUED", DealerId = "PZ-MUENCHEN", Context = CaptureContext.Configuration, Purpose = Purpose.JointCare,
            CapturedAt = DateTimeOffset.UtcNow, Data = Data((DataCategory.ContactIdentification, ("givenName", "Clara"))),
        };
        await (await stage.ClientOf("OP-SUED")).Capture(late);
        Captures++;
        tombstone = await _narrator.Tombstone(Clara, quarantined: 1);
        DemoNarrator.Say($"a late capture for Clara from OP-SUED is quarantined, not routed: the customer is not recreated ({tombstone.QuarantinedMessages} quarantined)");

        _narrator.Heading("A dealer takeover: PD announces that Porsche Zentrum Hamburg passes from OP-NORD to OP-SUED");
        var takeover = new DealerOperatorChangeAnnounced
        {
            TakeoverId = Id(), DealerId = "PZ-HAMBURG", FromOperator = "OP-NORD", ToOperator = "OP-SUED", EffectiveAt = DateTimeOffset.UtcNow, AnnouncedBy = "PD",
        };
        await (await stage.ClientOf("PD")).AnnounceDealerOperatorChange(takeover);
        var progress = await _narrator.TakeoverDone(takeover.TakeoverId);
        DemoNarrator.Say($"{progress}");
        DemoNarrator.Say("OP-NORD handed Anna's records over and erased its copies; David's (Porsche Zentrum Stuttgart, still OP-NORD) stay:");
        await _narrator.Holdings(Anna, c => c.StartsWith("OP-"));
        await _narrator.Holdings(David, c => c.StartsWith("OP-"));
        await Capture("Anna's car back in the workshop of Porsche Zentrum Hamburg, now run by OP-SUED", "PD", Anna, "PZ-HAMBURG", CaptureContext.Workshop, null, Purpose.JointCare,
            (DataCategory.ContactIdentification, ("givenName", "Anna")), (DataCategory.VehicleHistory, ("service", "tyres")));

        _narrator.Heading("What each company's store holds now");
        foreach (var customer in new[] { Anna, Ben, Clara, David })
        {
            await _narrator.Holdings(customer);
        }
    }

    private async Task Capture(string story, string sender, Guid customer, string? dealer, CaptureContext context, ContractKind? kind, Purpose purpose,
        params (DataCategory Category, (string Name, string Value) Field)[] data)
    {
        var capture = new CustomerDataCaptured
        {
            CaptureId = Id(), CustomerId = customer, SourceCompany = sender, DealerId = dealer, Context = context, ContractKind = kind, Purpose = purpose,
            CapturedAt = DateTimeOffset.UtcNow, Data = Data(data),
        };
        Console.WriteLine();
        DemoNarrator.Say($"{story}");
        DemoNarrator.Say($"  {sender} captures for {_narrator.Name(customer)}: {context}{(kind is null ? "" : ":" + kind)}, {purpose}; {string.Join(", ", data.Select(d => d.Category))}");
        await (await stage.ClientOf(sender)).Capture(capture);
        Captures++;
        await _narrator.Routed(capture);
    }

    private static CategoryData Data(params (DataCategory Category, (string Name, string Value) Field)[] data)
    {
        var categories = new CategoryData();
        foreach (var (category, (name, value)) in data)
        {
            categories[category] = new Dictionary<string, string> { [name] = value };
        }

        return categories;
    }

    // Fresh ids every run: on RabbitMQ, a hub that kept its store would otherwise take a rerun's messages as repeats.
    private Guid Id() => Guid.CreateVersion7(_now.AddMilliseconds(++_ids));
}
