using System.Text.RegularExpressions;

namespace Partnership.Workflows;

/// <summary>
/// An organisation's identifier as the org-id standard (org-id.guide) and 360Giving write it: the register's prefix
/// and the number it gave. GB-CHC is the Charity Commission for England and Wales, GB-SC the Scottish Charity
/// Regulator, GB-COH Companies House. A charity number is preferred where an organisation has both.
/// </summary>
public static partial class OrganisationIds
{
    public const string CharityRule = "Enter a charity number of 6 or 7 digits, like 1234567, or a Scottish one like SC012345.";
    public const string CompanyRule = "Enter a company number of up to 8 digits, like 01234567, or 2 letters and 6 digits, like SC123456.";

    public static string? From(string? charityNumber, string? companyNumber, out Dictionary<string, string> problems)
    {
        problems = [];
        var charity = Normalise(charityNumber);
        var company = Normalise(companyNumber);
        string? charityId = null;
        string? companyId = null;
        if (charity.Length > 0)
        {
            charityId = EnglandAndWalesCharity().IsMatch(charity) ? $"GB-CHC-{charity}"
                : ScottishCharity().IsMatch(charity) ? $"GB-SC-{charity}"
                : null;
            if (charityId is null)
            {
                problems["charityNumber"] = CharityRule;
            }
        }

        if (company.Length > 0)
        {
            companyId = Digits().IsMatch(company) ? $"GB-COH-{company.PadLeft(8, '0')}"
                : PrefixedCompany().IsMatch(company) ? $"GB-COH-{company}"
                : null;
            if (companyId is null)
            {
                problems["companyNumber"] = CompanyRule;
            }
        }

        if (charity.Length == 0 && company.Length == 0)
        {
            problems["charityNumber"] = "Enter your charity number or your company number: the partnership funds registered charities and companies.";
        }

        return problems.Count > 0 ? null : charityId ?? companyId;
    }

    private static string Normalise(string? number) => (number ?? "").Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    [GeneratedRegex(@"^\d{6,7}$")]
    private static partial Regex EnglandAndWalesCharity();

    [GeneratedRegex(@"^SC\d{6}$")]
    private static partial Regex ScottishCharity();

    [GeneratedRegex(@"^\d{1,8}$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^[A-Z]{2}\d{6}$")]
    private static partial Regex PrefixedCompany();
}
