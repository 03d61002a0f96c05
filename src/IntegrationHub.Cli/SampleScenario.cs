using IntegrationHub.Contracts;

namespace IntegrationHub.Cli;

/// <summary>Fictional customers and captures for the demo. The names are invented; nothing here is real personal data.</summary>
internal sealed record SampleScenario(IReadOnlyList<ConsentGiven> Consents, IReadOnlyList<CustomerDataCaptured> Captures)
{
    public static SampleScenario Build()
    {
        var anna = Guid.Parse("0b6f2f0e-3c1a-4b5e-9a51-7d2a3b1c0001");
        var ben = Guid.Parse("0b6f2f0e-3c1a-4b5e-9a51-7d2a3b1c0002");
        var at = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
        var contact = Fields(("familyName", "Beispiel"), ("givenName", "Anna"), ("email", "anna@example.org"));

        var consents = new List<ConsentGiven>
        {
            new() { ConsentId = Id(1), CustomerId = anna, Channel = ConsentChannel.Dealer, WordingVersion = "2026-03", CapturedBy = "OP-NORD", GivenAt = at },
        };

        var captures = new List<CustomerDataCaptured>
        {
            Capture(Id(11), anna, "OP-NORD", "PZ-HAMBURG", CaptureContext.Workshop, null, Purpose.JointCare, at.AddHours(1), new()
            {
                [DataCategory.ContactIdentification] = contact,
                [DataCategory.VehicleDiagnostics] = Fields(("faultCode", "P0301")),
                [DataCategory.VehicleHistory] = Fields(("service", "annual inspection")),
                [DataCategory.CreditBank] = Fields(("iban", "DE00 0000 0000 0000 0000 00")),
            }),
            Capture(Id(12), anna, "PFSKG", null, CaptureContext.VehicleContract, ContractKind.Leasing, Purpose.JointCare, at.AddDays(1), new()
            {
                [DataCategory.ContactIdentification] = contact,
                [DataCategory.Contract] = Fields(("contractNumber", "L-2026-0001")),
                [DataCategory.FinancingLeasingInsurance] = Fields(("monthlyRate", "899.00")),
                [DataCategory.CreditBank] = Fields(("creditScore", "A")),
                [DataCategory.Identification] = Fields(("vin", "WP0ZZZ99ZTS000001")),
            }),
            Capture(Id(13), anna, "PAG", null, CaptureContext.MyPorscheConnect, null, Purpose.JointCare, at.AddDays(2), new()
            {
                [DataCategory.PorscheIdAccount] = Fields(("login", "anna@example.org")),
                [DataCategory.Entitlement] = Fields(("service", "charging")),
                [DataCategory.VehicleDiagnostics] = Fields(("battery", "good")),
            }),
            Capture(Id(14), anna, "PD", null, CaptureContext.Events, null, Purpose.IndividualCare, at.AddDays(3), new()
            {
                [DataCategory.InterestProfile] = Fields(("affinity", "motorsport")),
                [DataCategory.EmailEngagement] = Fields(("opened", "newsletter-2026-11")),
            }),
            Capture(Id(15), ben, "PSM", "PZ-MUENCHEN", CaptureContext.PartsAccessories, null, Purpose.JointCare, at.AddDays(3), new()
            {
                [DataCategory.ContactIdentification] = Fields(("familyName", "Muster"), ("givenName", "Ben")),
                [DataCategory.Contract] = Fields(("order", "Tequipment roof box")),
                [DataCategory.InterestProfile] = Fields(("affinity", "travel")),
            }),
        };

        return new SampleScenario(consents, captures);
    }

    private static CustomerDataCaptured Capture(Guid id, Guid customer, string sender, string? dealer, CaptureContext context,
        ContractKind? kind, Purpose purpose, DateTimeOffset at, CategoryData data) => new()
    {
        CaptureId = id,
        CustomerId = customer,
        SourceCompany = sender,
        DealerId = dealer,
        Context = context,
        ContractKind = kind,
        Purpose = purpose,
        CapturedAt = at,
        Data = data,
    };

    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value);

    private static Guid Id(int n) => Guid.Parse($"5ca1ab1e-0000-4000-8000-{n:D12}");
}
