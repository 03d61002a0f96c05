using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.IntegrationTests;

[Collection(HubCollection.Name)]
public sealed class When_every_company_runs_its_own_worker(HubProcess hub, WorkerProcesses workers) : IClassFixture<WorkerProcesses>
{
    private readonly Guid _anna = Guid.NewGuid();
    private readonly Guid _ben = Guid.NewGuid();

    [Fact]
    public async Task Should_leave_each_store_exactly_what_the_matrix_allows_and_erase_it_everywhere_but_under_retention()
    {
        // Anna is a customer of Porsche Zentrum Hamburg (OP-NORD), Ben of München (OP-SUED).
        await Capture("pd", _anna, "PZ-HAMBURG", CaptureContext.Workshop, null,
            DataCategory.ContactIdentification, DataCategory.VehicleHistory, DataCategory.VehicleDiagnostics, DataCategory.CreditBank);
        await Capture("op-nord", _anna, "PZ-HAMBURG", CaptureContext.VehicleContract, ContractKind.Leasing,
            DataCategory.ContactIdentification, DataCategory.Contract, DataCategory.FinancingLeasingInsurance, DataCategory.CreditBank,
            DataCategory.PersonalProfessional, DataCategory.Identification);
        await Capture("psm", _anna, null, CaptureContext.MyPorscheConnect, null,
            DataCategory.PorscheIdAccount, DataCategory.Entitlement, DataCategory.VehicleDiagnostics, DataCategory.ContactIdentification);
        await Capture("pd", _ben, "PZ-MUENCHEN", CaptureContext.VehicleContract, ContractKind.Financing,
            DataCategory.ContactIdentification, DataCategory.Contract, DataCategory.CreditBank);

        // Worked out by hand from DOMAIN.md section 3, not by the policy code.
        var expected = new Dictionary<string, Dictionary<Guid, string>>
        {
            ["OP-NORD"] = new() { [_anna] = "ContactIdentification,VehicleDiagnostics,VehicleHistory" },
            ["OP-SUED"] = new() { [_ben] = "ContactIdentification,Contract" },
            ["PD"] = new() { [_anna] = "ContactIdentification,Contract,Identification" },
            ["PAG"] = new()
            {
                [_anna] = "ContactIdentification,Entitlement,Identification,PorscheIdAccount,VehicleDiagnostics,VehicleHistory",
                [_ben] = "ContactIdentification",
            },
            ["PFS"] = new() { [_ben] = "ContactIdentification,Contract,CreditBank" },
            ["PFSKG"] = new() { [_anna] = "ContactIdentification,Contract,CreditBank,FinancingLeasingInsurance,Identification,PersonalProfessional" },
            ["PSM"] = new(),
        };
        foreach (var (company, _) in WorkerProcesses.Workers)
        {
            // The workers are shared by this class's tests: look at this test's customers only.
            var holdings = await Eventually.Until(async () => (await workers.Holdings(company)).Where(h => h.Key == _anna || h.Key == _ben).ToDictionary(),
                h => Matches(h, expected[company]), $"{company}'s store");
            Assert.True(Matches(holdings, expected[company]),
                $"{company} holds {string.Join("; ", holdings.Select(h => string.Join(",", h.Value)))}");
        }

        var erasure = Guid.NewGuid();
        await Broker.PublishAs("pd", "inbound.erasure-requested", new ErasureRequested { RequestId = erasure, CustomerId = _anna, ReceivedBy = "PD", ReceivedAt = DateTimeOffset.UtcNow });

        await hub.UntilErased(erasure);

        foreach (var (company, _) in WorkerProcesses.Workers)
        {
            await using var store = workers.Store(company);
            var left = await store.Records.AsNoTracking().Where(r => r.CustomerId == _anna).ToListAsync();
            if (company == "PFSKG")
            {
                Assert.Equal(["Contract", "CreditBank", "FinancingLeasingInsurance"], left.Select(r => r.Category.ToString()).Order());
                Assert.All(left, r => Assert.True(r.Restricted && r.RetainedUnder is not null, $"{r.Category} kept without restriction or basis"));
            }
            else
            {
                Assert.True(left.Count == 0, $"{company} still holds {string.Join(",", left.Select(r => r.Category))} of an erased customer");
            }

            // Ben is untouched.
            Assert.Equal(expected[company].ContainsKey(_ben), await store.Records.AnyAsync(r => r.CustomerId == _ben));
        }
    }

    [Fact]
    public async Task Should_keep_interest_and_engagement_data_out_of_every_store_without_consent_and_remove_it_after_withdrawal()
    {
        var customer = Guid.NewGuid();
        var profile = new[] { DataCategory.InterestProfile, DataCategory.EmailEngagement };

        // Before consent: captured, but routed to nobody.
        await Capture("pd", customer, "PZ-HAMBURG", CaptureContext.Events, null, Purpose.IndividualCare, profile);
        await Capture("pd", customer, "PZ-HAMBURG", CaptureContext.Events, null, Purpose.JointCare, [DataCategory.ContactIdentification]);
        await Eventually.Until(() => workers.Holdings("OP-NORD"), h => h.ContainsKey(customer), "the contact data at OP-NORD");
        foreach (var (company, _) in WorkerProcesses.Workers)
        {
            Assert.DoesNotContain((await workers.Holdings(company)).GetValueOrDefault(customer) ?? [], c => c is "InterestProfile" or "EmailEngagement");
        }

        // With consent (given at the dealer), a new profile reaches everyone the matrix names.
        var consent = Guid.NewGuid();
        await Broker.PublishAs("op-nord", "inbound.consent-given", new ConsentGiven
        {
            ConsentId = consent, CustomerId = customer, Channel = ConsentChannel.Dealer, WordingVersion = "2026-03", CapturedBy = "OP-NORD", GivenAt = DateTimeOffset.UtcNow,
        });
        await Eventually.Until(async () =>
        {
            await using var scope = hub.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Audit.AnyAsync(a => a.MessageId == consent);
        }, recorded => recorded, "consent recorded");
        await Capture("psm", customer, null, CaptureContext.MyPorscheConnect, null, Purpose.IndividualCare, profile);

        string[] profileHolders = ["OP-NORD", "PAG", "PD", "PFS", "PFSKG"];
        foreach (var company in profileHolders)
        {
            await Eventually.Until(() => workers.Holdings(company), h => h.GetValueOrDefault(customer)?.Contains("InterestProfile") == true, $"the profile at {company}");
        }

        Assert.Contains("EmailEngagement", (await workers.Holdings("PD"))[customer]);

        // Withdrawal at PD: gone everywhere.
        await Broker.PublishAs("pd", "inbound.consent-withdrawn", new ConsentWithdrawn
        {
            ConsentId = Guid.NewGuid(), CustomerId = customer, Channel = ConsentChannel.Email, CapturedBy = "PD", WithdrawnAt = DateTimeOffset.UtcNow,
        });
        foreach (var (company, _) in WorkerProcesses.Workers)
        {
            await Eventually.Until(() => workers.Holdings(company),
                h => !(h.GetValueOrDefault(customer) ?? []).Any(c => c is "InterestProfile" or "EmailEngagement"), $"no profile left at {company}");
        }

        Assert.Contains("ContactIdentification", (await workers.Holdings("OP-NORD"))[customer]);
    }

    private static bool Matches(Dictionary<Guid, string[]> holdings, Dictionary<Guid, string> expected) =>
        holdings.Count == expected.Count && expected.All(e => holdings.TryGetValue(e.Key, out var held) && string.Join(",", held) == e.Value);

    private static Task Capture(string user, Guid customer, string? dealer, CaptureContext context, ContractKind? kind, params DataCategory[] categories) =>
        Capture(user, customer, dealer, context, kind, Purpose.JointCare, categories);

    private static async Task Capture(string user, Guid customer, string? dealer, CaptureContext context, ContractKind? kind, Purpose purpose, DataCategory[] categories) =>
        await Broker.PublishAs(user, "inbound.customer-data-captured", new CustomerDataCaptured
        {
            CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = user.ToUpperInvariant(), DealerId = dealer, Context = context,
            ContractKind = kind, Purpose = purpose, CapturedAt = DateTimeOffset.UtcNow,
            Data = new CategoryData(categories.Select(c => KeyValuePair.Create(c, new Dictionary<string, string> { ["note"] = $"{c} of {customer:N}" }))),
        });
}
