using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests.Stages;

/// <summary>The contract sent, signed and returned, and the purchase order.</summary>
public class ContractingStageTests
{
    [Fact]
    public void The_contract_can_be_sent_once()
    {
        var refused = Workflow.Decide(In(BidStage.Contracting), new SendContract(Coordinator), Now).Refuse();
        Assert.Contains("already been sent", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_signed_contract_document_can_be_returned_as_the_signed_contract()
    {
        var refused = Workflow.Decide(In(BidStage.Contracting), new ReturnSignedContract(Applicant, "doc-business-case"), Now).Refuse();
        Assert.Contains("SignedContract", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signed_contract_cannot_be_accepted_before_it_is_returned()
    {
        var refused = Workflow.Decide(In(BidStage.Contracting), new AcceptSignedContract(Coordinator), Now).Refuse();
        Assert.Contains("No signed contract", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Once_the_signed_contract_is_returned_the_applicant_can_no_longer_withdraw()
    {
        var returned = Workflow.Decide(In(BidStage.Contracting), new ReturnSignedContract(Applicant, "doc-signed"), Now).Accept();
        var refused = Workflow.Decide(returned.State, new Withdraw(Applicant, "Changed our mind"), Now).Refuse();
        Assert.Contains("can no longer be withdrawn", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_purchase_order_cannot_be_dated_in_the_future()
    {
        var refused = Workflow.Decide(In(BidStage.PurchaseOrder), new RecordPurchaseOrder(Finance, "PO1", new DateOnly(2026, 11, 24), "SUP"), Now).Refuse();
        Assert.Contains("future", refused.Reason, StringComparison.Ordinal);
    }
}
