using System.Net;
using System.Text;

namespace Partnership.Functions.Http;

/// <summary>The one document shell every server-rendered page uses, and the encoding for text put into it.</summary>
public static class HtmlPage
{
    public static IResult Render(int status, string title, string body) => Results.Content(
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{Encode(title)} – Partnership Funds</title></head><body><main>{body}</main></body></html>",
        "text/html; charset=utf-8", Encoding.UTF8, status);

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
