using IntegrationHub.Contracts;

namespace IntegrationHub.Routing.Tests;

public class When_the_customer_state_limits_routing
{
    private static readonly OperationalNeedPolicy Decision = PolicyFiles.Decision();
    private static readonly HashSet<ObjectionKind> NoObjections = [];

    private static CaptureFacts Capture(CaptureContext context, ContractKind? kind, Purpose purpose, params DataCategory[] categories) =>
        When_routing_a_capture_through_the_matrix.Capture(context, kind, purpose, categories);

    [Fact]
    public void Should_drop_consent_only_categories_for_everyone_without_consent()
    {
        var customer = new CustomerRoutingState(ConsentGiven: false, Restricted: false, NoObjections, "OP-NORD");

        foreach (var (context, kind) in DomainMatrix.Situations())
        {
            foreach (var purpose in new[] { Purpose.JointCare, Purpose.DirectMarketing })
            {
                var decision = Decision.Decide(
                    Capture(context, kind, purpose, DataCategory.InterestProfile, DataCategory.EmailEngagement, DataCategory.ContactIdentification), customer);

                Assert.DoesNotContain(decision.Recipients, r => r.Data.ContainsKey(DataCategory.InterestProfile) || r.Data.ContainsKey(DataCategory.EmailEngagement));
                foreach (var role in Enum.GetValues<PartyRole>())
                {
                    Assert.Contains(decision.Dropped, d => d.Role == role && d.Category == DataCategory.InterestProfile && d.Reason == DropReason.ConsentMissing);
                }
            }
        }
    }

    [Fact]
    public void Should_forward_consent_only_categories_once_the_customer_consented()
    {
        var customer = new CustomerRoutingState(ConsentGiven: true, Restricted: false, NoObjections, "OP-NORD");

        var decision = Decision.Decide(Capture(CaptureContext.Events, null, Purpose.IndividualCare, DataCategory.InterestProfile, DataCategory.EmailEngagement), customer);

        Assert.Equal(["OP-NORD", "PAG", "PD", "PFS", "PFSKG", "PSM"], decision.Recipients.Where(r => r.Data.ContainsKey(DataCategory.InterestProfile)).Select(r => r.Company).Order());
        Assert.Equal(["PD", "PSM"], decision.Recipients.Where(r => r.Data.ContainsKey(DataCategory.EmailEngagement)).Select(r => r.Company).Order());
    }

    [Fact]
    public void Should_forward_nothing_for_individual_care_without_consent()
    {
        var customer = new CustomerRoutingState(ConsentGiven: false, Restricted: false, NoObjections, "OP-NORD");

        var decision = Decision.Decide(Capture(CaptureContext.Workshop, null, Purpose.IndividualCare, DataCategory.ContactIdentification, DataCategory.VehicleHistory), customer);

        Assert.Empty(decision.Recipients);
        Assert.All(decision.Dropped, d => Assert.Equal(DropReason.ConsentMissing, d.Reason));
    }

    [Theory]
    [InlineData(ObjectionKind.DirectMarketing)]
    [InlineData(ObjectionKind.General)]
    public void Should_drop_direct_marketing_after_an_objection(ObjectionKind objection)
    {
        var customer = new CustomerRoutingState(ConsentGiven: true, Restricted: false, new HashSet<ObjectionKind> { objection }, "OP-NORD");

        foreach (var (context, kind) in DomainMatrix.Situations())
        {
            var decision = Decision.Decide(Capture(context, kind, Purpose.DirectMarketing, [.. Enum.GetValues<DataCategory>()]), customer);

            Assert.Empty(decision.Recipients);
            Assert.All(decision.Dropped, d => Assert.Equal(DropReason.Objection, d.Reason));
        }
    }

    [Fact]
    public void Should_still_route_joint_care_after_an_objection_to_direct_marketing()
    {
        var customer = new CustomerRoutingState(ConsentGiven: false, Restricted: false, new HashSet<ObjectionKind> { ObjectionKind.DirectMarketing }, "OP-NORD");

        var decision = Decision.Decide(Capture(CaptureContext.Workshop, null, Purpose.JointCare, DataCategory.VehicleHistory), customer);

        Assert.Equal(["OP-NORD", "PAG", "PD"], decision.Recipients.Select(r => r.Company).Order());
    }

    [Fact]
    public void Should_forward_nothing_while_processing_is_restricted()
    {
        var customer = new CustomerRoutingState(ConsentGiven: true, Restricted: true, NoObjections, "OP-NORD");

        var decision = Decision.Decide(Capture(CaptureContext.Workshop, null, Purpose.JointCare, DataCategory.ContactIdentification), customer);

        Assert.Empty(decision.Recipients);
        Assert.All(decision.Dropped, d => Assert.Equal(DropReason.ProcessingRestricted, d.Reason));
    }

    [Fact]
    public void Should_forward_nothing_for_aggregated_analytics()
    {
        var customer = new CustomerRoutingState(ConsentGiven: true, Restricted: false, NoObjections, "OP-NORD");

        var decision = Decision.Decide(Capture(CaptureContext.Workshop, null, Purpose.AggregatedAnalytics, DataCategory.VehicleUsage), customer);

        Assert.Empty(decision.Recipients);
        Assert.All(decision.Dropped, d => Assert.Equal(DropReason.AggregatesOnly, d.Reason));
    }

    [Fact]
    public void Should_hold_back_dealer_data_while_no_zentrum_is_known()
    {
        var decision = Decision.Decide(Capture(CaptureContext.Events, null, Purpose.JointCare, DataCategory.Voluntary), CustomerRoutingState.NewCustomer);

        Assert.Equal(["PD"], decision.Recipients.Select(r => r.Company));
        Assert.Contains(decision.Dropped, d => d.Role == PartyRole.Dealer && d.Company is null && d.Reason == DropReason.NoDealerAssigned);
    }

    [Theory]
    [InlineData("PAG")]
    [InlineData("PD")]
    [InlineData("PFS")]
    [InlineData("PFSKG")]
    [InlineData("PSM")]
    [InlineData("OP-NORD")]
    public void Should_never_route_back_to_the_sender(string sender)
    {
        var customer = new CustomerRoutingState(ConsentGiven: true, Restricted: false, NoObjections, "OP-NORD");

        foreach (var (context, kind) in DomainMatrix.Situations())
        {
            var capture = Capture(context, kind, Purpose.JointCare, [.. Enum.GetValues<DataCategory>()]) with { SenderCompany = sender };
            var decision = Decision.Decide(capture, customer);

            Assert.DoesNotContain(decision.Recipients, r => r.Company == sender);
            Assert.DoesNotContain(decision.Dropped, d => d.Company == sender);
        }
    }
}
