namespace Partnership.Functions.Infrastructure;

/// <summary>The partnership works in UK time: deadlines, message dates and the digest schedule are all read in it.</summary>
public static class UkTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
}
