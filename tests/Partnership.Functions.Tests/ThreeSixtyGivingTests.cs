using System.Collections.Immutable;
using Partnership.Functions.OpenData;
using Partnership.Functions.Organisations;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Tests;

/// <summary>One grant as 360Giving writes it, and the schema's check naming what is wrong with one that does not meet it.</summary>
public class ThreeSixtyGivingTests
{
    private static readonly OpenDataOptions Publisher = new();

    private static BidState Awarded(string organisationId) => new()
    {
        BidId = "bid-1", FundId = "f", OrganisationId = organisationId, ApplicantUserId = "applicant-kca", DefinitionVersion = 3, CreatedAt = AppFactory.Start,
        Proposal = new BidProposal("Holiday activities", "Play schemes in the school holidays.", new Funding(40_000m, 0m), new DateOnly(2027, 4, 1), new DateOnly(2028, 3, 31)),
        Stage = BidStage.Monitoring,
        StageEnteredAt = AppFactory.Start,
        ApprovedAmount = new Funding(40_000m, 2_500.50m),
        BudgetLineId = AppFactory.Line,
        Payments = [new Payment(1, new Funding(10_000m, 0m), new DateOnly(2027, 4, 20), "BACS-1", "finance")],
    };

    [Fact]
    public void An_awarded_grant_meets_the_standard_with_its_org_id_programme_and_payments_and_no_contact()
    {
        var organisation = new Organisation("GB-CHC-1090000", "Kids Can Achieve", "1090000", "office@kca.example.org", "1 High Street") { ContactName = "Sam Patel" };
        var grant = ThreeSixtyGiving.Grant(Publisher, Awarded(organisation.Id), organisation, "2010/11 LAA Reward Grant", AppFactory.Start);

        Assert.Empty(ThreeSixtyGiving.Problems(grant));
        Assert.Equal("360G-partnershipfunds-demo-bid-1", grant["id"]!.GetValue<string>());
        Assert.Equal(42_500.50m, grant["amountAwarded"]!.GetValue<decimal>());
        Assert.Equal("2026-11-23", grant["awardDate"]!.GetValue<string>());
        Assert.Equal(("GB-CHC-1090000", "1090000"), (grant["recipientOrganization"]![0]!["id"]!.GetValue<string>(), grant["recipientOrganization"]![0]!["charityNumber"]!.GetValue<string>()));
        Assert.Equal((10_000m, "2027-04-20"), (grant["disbursementTransaction"]![0]!["value"]!.GetValue<decimal>(), grant["disbursementTransaction"]![0]!["transactionDate"]!.GetValue<string>()));
        Assert.Equal(AppFactory.Line, grant["grantProgramme"]![0]!["code"]!.GetValue<string>());
        var json = grant.ToJsonString();
        Assert.DoesNotContain("Sam Patel", json, StringComparison.Ordinal);
        Assert.DoesNotContain("@", json, StringComparison.Ordinal);
        Assert.DoesNotContain("High Street", json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_organisation_without_a_registered_number_is_identified_under_the_partnerships_prefix()
    {
        var grant = ThreeSixtyGiving.Grant(Publisher, Awarded("kids-can-achieve") with { Payments = ImmutableList<Payment>.Empty }, null, null, AppFactory.Start);

        Assert.Empty(ThreeSixtyGiving.Problems(grant));
        Assert.Equal("360G-partnershipfunds-demo-org-kids-can-achieve", grant["recipientOrganization"]![0]!["id"]!.GetValue<string>());
        Assert.Null(grant["disbursementTransaction"]);
    }

    [Fact]
    public void A_grant_without_an_award_date_or_with_a_malformed_one_is_named_with_the_reason()
    {
        var undated = ThreeSixtyGiving.Grant(Publisher, Awarded("GB-CHC-1090000"), null, null, awardedAt: null);
        Assert.Contains(ThreeSixtyGiving.Problems(undated), p => p.Contains("awardDate", StringComparison.Ordinal));

        var misdated = ThreeSixtyGiving.Grant(Publisher, Awarded("GB-CHC-1090000"), null, null, AppFactory.Start);
        misdated["awardDate"] = "23/11/2026";
        Assert.Contains(ThreeSixtyGiving.Problems(misdated), p => p.StartsWith("/awardDate", StringComparison.Ordinal));
    }
}
