namespace Partnership.Workflows.Bids;

public enum BidStage
{
    Draft,
    Submitted,
    Screening,
    ChangesRequested,
    HceRecommendation,
    BoardApproval,
    Contracting,
    PurchaseOrder,
    Monitoring,
    Closing,
    Closed,
    Rejected,
    Withdrawn,
}

public static class BidStages
{
    public static bool IsFinished(this BidStage stage) => stage is BidStage.Closed or BidStage.Rejected or BidStage.Withdrawn;
}
