using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Partnership.Functions.Tests.Support;

/// <summary>
/// Forms posted as a browser posts them: the page is opened first and its antiforgery token sent back with the
/// fields, on the same client (which keeps the antiforgery cookie). A page that shows no form (a link already used,
/// say) lends the token this client was given last, as a browser tab still holding the earlier form would.
/// </summary>
public static partial class PageForms
{
    private static readonly ConditionalWeakTable<HttpClient, string> LastToken = [];

    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string page, params (string Name, string Value)[] fields) =>
        await client.SubmitToAsync(page, page, fields);

    public static async Task<HttpResponseMessage> SubmitToAsync(this HttpClient client, string page, string action, params (string Name, string Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        var html = await (await client.GetAsync(page)).Content.ReadAsStringAsync();
        if (Token().Match(html) is { Success: true } found)
        {
            LastToken.AddOrUpdate(client, WebUtility.HtmlDecode(found.Groups["token"].Value));
        }

        var token = LastToken.TryGetValue(client, out var t) ? t : throw new InvalidOperationException($"{page} showed no form, and this client has opened none before.");
        using var content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token)));
        return await client.PostAsync(action, content);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex Token();
}
