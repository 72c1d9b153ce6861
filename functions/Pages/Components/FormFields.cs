namespace Partnership.Functions.Pages.Components;

/// <summary>What the shared field partials need: the field's id (also its form name), label, value and hint.</summary>
public sealed record MoneyInput(string Id, string Label, string? Value, string? Hint = null);

public sealed record TextArea(string Id, string Label, string? Value, string? Hint = null, int Rows = 3);

public sealed record TextInput(string Id, string Label, string? Value, string? Hint = null, string Type = "text", string? Autocomplete = null, string Width = "");
