using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Http;
using Partnership.Functions.Notifications;

namespace Partnership.Functions.Pages.Dev;

/// <summary>Development only: the messages the app would have sent, so links in them can be followed offline.</summary>
[AllowAnonymous]
[ShowsEmailAsSent]
public sealed partial class OutboxModel(MessageLog outbox) : PageModel
{
    public IReadOnlyList<OutboxMessage> Messages { get; private set; } = [];

    public async Task OnGetAsync(string? bidId, CancellationToken ct) => Messages = await outbox.ListAsync(bidId, ct);

    /// <summary>The text cut into plain runs and web addresses, so a Teams notification's page opens from the outbox too.</summary>
    public static IEnumerable<(string Text, bool IsLink)> Linked(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = 0;
        foreach (Match link in Address().Matches(text))
        {
            yield return (text[at..link.Index], false);
            yield return (link.Value, true);
            at = link.Index + link.Length;
        }

        yield return (text[at..], false);
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Address();
}
