using System.Text.RegularExpressions;
using Partnership.Functions.Notifications;

namespace Partnership.Functions.Tests.Support;

/// <summary>Decision prompts as their recipients get them: the link in each message, and the form its page posts.</summary>
public static partial class DecisionPrompts
{
    /// <summary>A bid waiting for HCE, and each HCE member's own link from the prompt they were sent.</summary>
    public static async Task<(string BidId, Dictionary<string, string> Links)> AwaitingHceAsync(AppFactory app)
    {
        var bidId = await Bids.SubmittedAsync(app);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        await Bids.DrainAsync(app);
        return (bidId, await LinksAsync(app, bidId, "decision-prompt-hce"));
    }

    /// <summary>Each recipient's link (as a path) from the prompts of one template sent about a bid.</summary>
    public static async Task<Dictionary<string, string>> LinksAsync(AppFactory app, string bidId, string template) =>
        (await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None))
            .Where(m => m.Template == template)
            .ToDictionary(m => m.To, m => Link().Match(m.Body).Groups["path"].Value);

    [GeneratedRegex("http://localhost(?<path>/decisions/[A-Za-z0-9_.-]+)")]
    private static partial Regex Link();
}
