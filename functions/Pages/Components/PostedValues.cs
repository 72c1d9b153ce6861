using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Partnership.Functions.Pages.Components;

public static class PostedValues
{
    /// <summary>
    /// The value a field shows: what was just posted when the form comes back with its errors, else what is saved
    /// (or nothing), so a person never retypes what they had written.
    /// </summary>
    public static string Posted(this PageModel page, string field, string? saved = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var request = page.Request;
        return HttpMethods.IsPost(request.Method) && request.HasFormContentType && request.Form.ContainsKey(field) ? request.Form[field].ToString() : saved ?? "";
    }
}
