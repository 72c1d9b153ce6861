namespace Partnership.Workflows.Tests;

public class OrganisationIdTests
{
    [Theory]
    [InlineData("1234567", "", "GB-CHC-1234567")]
    [InlineData(" 123 456 ", "", "GB-CHC-123456")]
    [InlineData("sc012345", "", "GB-SC-SC012345")]
    [InlineData("", "1234567", "GB-COH-01234567")]
    [InlineData("", "sc123456", "GB-COH-SC123456")]
    [InlineData("1129394", "03719863", "GB-CHC-1129394")]
    public void A_registered_number_becomes_the_org_id_360Giving_uses(string charity, string company, string expected)
    {
        Assert.Equal(expected, OrganisationIds.From(charity, company, out var problems));
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("12345", "", "charityNumber", OrganisationIds.CharityRule)]
    [InlineData("12345678", "", "charityNumber", OrganisationIds.CharityRule)]
    [InlineData("", "123456789", "companyNumber", OrganisationIds.CompanyRule)]
    [InlineData("", "ABC12345", "companyNumber", OrganisationIds.CompanyRule)]
    [InlineData("", "", "charityNumber", "Enter your charity number or your company number: the partnership funds registered charities and companies.")]
    public void A_number_that_no_register_gives_says_what_one_looks_like(string charity, string company, string field, string rule)
    {
        Assert.Null(OrganisationIds.From(charity, company, out var problems));
        Assert.Equal(rule, problems[field]);
    }
}
