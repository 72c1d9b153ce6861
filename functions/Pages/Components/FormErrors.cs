using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Partnership.Functions.Pages.Components;

/// <summary>
/// The API's field errors (keyed by request property) on a page: each under the id of the field it concerns, which
/// is the property's camelCase name, so the error summary links to the field and the field shows the message.
/// </summary>
public static class FormErrors
{
    public static void AddAll(this ModelStateDictionary state, IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                state.AddModelError(FieldId(field), message);
            }
        }
    }

    public static string FieldId(string field) => JsonNamingPolicy.CamelCase.ConvertName(field);

    /// <summary>The GOV.UK modifier class for a field's form group or input when it is in error.</summary>
    public static string ErrorClass(this ModelStateDictionary state, string field, string modifier)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? modifier : "";
    }

    /// <summary>The aria-describedby value that ties a field to its error message, or null for none.</summary>
    public static string? DescribedBy(this ModelStateDictionary state, string field, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var error = state.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? $"{field}-error" : null;
        var ids = string.Join(' ', new[] { hint, error }.Where(i => i is not null));
        return ids.Length == 0 ? null : ids;
    }
}
