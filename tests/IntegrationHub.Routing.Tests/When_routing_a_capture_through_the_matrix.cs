using IntegrationHub.Contracts;

namespace IntegrationHub.Routing.Tests;

public class When_routing_a_capture_through_the_matrix
{
    // The sender is the operator of another Zentrum, so all six matrix columns are possible recipients.
    private const string Sender = "OP-SUED";
    private const string CustomersDealer = "OP-NORD";

    private static readonly OperationalNeedPolicy Decision = PolicyFiles.Decision();

    private static readonly CustomerRoutingState ConsentingCustomer =
        new(ConsentGiven: true, Restricted: false, new HashSet<ObjectionKind>(), CustomersDealer);

    public static TheoryData<DataCategory, CaptureContext, ContractKind?> EveryCategoryInEverySituation()
    {
        var data = new TheoryData<DataCategory, CaptureContext, ContractKind?>();
        foreach (var category in Enum.GetValues<DataCategory>())
        {
            foreach (var (context, kind) in DomainMatrix.Situations())
            {
                data.Add(category, context, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCategoryInEverySituation))]
    public void Should_forward_the_category_exactly_to_the_roles_the_domain_matrix_names(
        DataCategory category, CaptureContext context, ContractKind? kind)
    {
        var decision = Decision.Decide(Capture(context, kind, Purpose.JointCare, category), ConsentingCustomer);

        foreach (var role in Enum.GetValues<PartyRole>())
        {
            var expected = DomainMatrix.Needs(category, role, context, kind);
            var copy = decision.Recipients.SingleOrDefault(r => r.Role == role);
            var received = copy is not null && copy.Data.ContainsKey(category);
            Assert.True(expected == received,
                $"{category} in {context}{(kind is null ? "" : ":" + kind)} to {role}: expected {(expected ? "forwarded" : "dropped")}, was {(received ? "forwarded" : "dropped")}");
            if (!expected)
            {
                Assert.Contains(decision.Dropped, d => d.Role == role && d.Category == category && d.Reason == DropReason.NoOperationalNeed);
            }
        }
    }

    [Fact]
    public void Should_cover_every_category_of_the_contracts_in_the_domain_matrix() =>
        Assert.Equal(Enum.GetValues<DataCategory>().Order(), DomainMatrix.Categories.Order());

    [Fact]
    public void Should_never_give_credit_bank_or_personal_circumstances_to_a_dealer_PD_PAG_or_PSM()
    {
        DataCategory[] sensitive = [DataCategory.CreditBank, DataCategory.PersonalProfessional];
        PartyRole[] withoutNeed = [PartyRole.Dealer, PartyRole.PD, PartyRole.PAG, PartyRole.PSM];

        foreach (var (context, kind) in DomainMatrix.Situations())
        {
            foreach (var purpose in Enum.GetValues<Purpose>())
            {
                var decision = Decision.Decide(Capture(context, kind, purpose, [.. Enum.GetValues<DataCategory>()]), ConsentingCustomer);
                foreach (var copy in decision.Recipients.Where(r => withoutNeed.Contains(r.Role)))
                {
                    Assert.DoesNotContain(copy.Data.Keys, sensitive.Contains);
                }
            }
        }
    }

    [Fact]
    public void Should_send_only_the_needed_categories_and_leave_the_capture_untouched()
    {
        var capture = Capture(CaptureContext.VehicleContract, ContractKind.Leasing, Purpose.JointCare,
            DataCategory.ContactIdentification, DataCategory.CreditBank, DataCategory.Voluntary);

        var decision = Decision.Decide(capture, ConsentingCustomer);

        var pfskg = Assert.Single(decision.Recipients, r => r.Company == "PFSKG");
        Assert.Equal([DataCategory.ContactIdentification, DataCategory.CreditBank], pfskg.Data.Keys.Order());
        Assert.Equal("value of CreditBank", pfskg.Data[DataCategory.CreditBank]["field"]);
        var dealer = Assert.Single(decision.Recipients, r => r.Role == PartyRole.Dealer);
        Assert.Equal(CustomersDealer, dealer.Company);
        Assert.Equal([DataCategory.ContactIdentification, DataCategory.Voluntary], dealer.Data.Keys.Order());
        Assert.DoesNotContain(decision.Recipients, r => r.Company == "PFS");
        Assert.Equal(3, capture.Data.Count);
    }

    [Fact]
    public void Should_name_the_policy_version_in_every_decision() =>
        Assert.Equal(Decision.Policy.Version, Decision.Decide(Capture(CaptureContext.Events, null, Purpose.JointCare, DataCategory.Voluntary), ConsentingCustomer).PolicyVersion);

    internal static CaptureFacts Capture(CaptureContext context, ContractKind? kind, Purpose purpose, params DataCategory[] categories) =>
        new(Sender, context, kind, purpose,
            new CategoryData(categories.Select(c => KeyValuePair.Create(c, new Dictionary<string, string> { ["field"] = "value of " + c }))));
}
