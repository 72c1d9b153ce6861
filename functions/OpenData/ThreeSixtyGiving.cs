using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Partnership.Functions.Budgets;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Organisations;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.OpenData;

/// <summary>
/// Who publishes the partnership's grants as open data, as 360Giving knows them. The defaults are the demo
/// partnership's; the Bicep template makes a deployment name its own.
/// </summary>
public sealed class OpenDataOptions
{
    public const string Section = "OpenData";

    /// <summary>The partnership's registered 360Giving prefix; every grant id starts with it.</summary>
    [RegularExpression(@"^360G-[A-Za-z0-9-]+$", ErrorMessage = "The 360Giving prefix looks like 360G-harrowpartnership.")]
    public string Prefix { get; set; } = "360G-partnershipfunds-demo";

    /// <summary>The funder's org-id, like GB-LAE-HRW for the London Borough of Harrow.</summary>
    [RegularExpression(@"^[A-Z]{2}-[A-Z]{2,}-\S+$", ErrorMessage = "The funder's org-id looks like GB-LAE-HRW.")]
    public string FunderId { get; set; } = "GB-LAE-HRW";

    [Required]
    [StringLength(200)]
    public string FunderName { get; set; } = "Harrow Strategic Partnership";
}

/// <summary>A grant that cannot be published as it stands, and why, so the coordinator can put it right.</summary>
public sealed record UnpublishableGrant(string GrantId, string Title, IReadOnlyList<string> Reasons);

/// <summary>The grants in 360Giving's form, or the ones that would not validate.</summary>
public sealed record GrantsExport(JsonArray Grants, IReadOnlyList<UnpublishableGrant> Problems);

/// <summary>
/// The awarded grants in the 360Giving Data Standard 1.4.3: each from the bid's own state and history, with the
/// recipient's org-id, the budget line as the grant programme and the payments made as disbursements. Nothing
/// about a person (no applicant's name or address) is put in. Every grant is checked against the standard's schema,
/// kept in the build, before anything is served.
/// </summary>
public sealed class ThreeSixtyGiving(BidIndexProjection index, BidRepository repository, OrganisationStore organisations, BudgetLedger ledger, Microsoft.Extensions.Options.IOptions<OpenDataOptions> options)
{
    public const string Version = "1.4";

    private static readonly Lazy<(JsonSchema Grant, JsonSchema Package)> Schemas = new(LoadSchemas);

    private static readonly EvaluationOptions Checking = new()
    {
        OutputFormat = OutputFormat.List,

        // The standard's dates are "a date-time, or a YYYY-MM-DD pattern", one of the two: only with formats
        // checked does a plain date match one branch rather than both.
        RequireFormatValidation = true,
    };

    /// <summary>The stages at which a grant has been awarded: approved by the Board and not since withdrawn.</summary>
    private static readonly BidStage[] Awarded = [BidStage.Contracting, BidStage.PurchaseOrder, BidStage.Monitoring, BidStage.Closing, BidStage.Closed];

    public async Task<GrantsExport> GrantsAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var names = (await organisations.ListAsync(ct)).ToDictionary(o => o.Id);
        var lines = (await ledger.LinesAsync(null, ct)).ToDictionary(l => l.Id, l => l.Name);
        var grants = new JsonArray();
        var problems = new List<UnpublishableGrant>();
        foreach (var summary in (await index.ListAsync(null, null, null, ct)).Where(b => Awarded.Contains(b.Stage)).OrderBy(b => b.BidId, StringComparer.Ordinal))
        {
            if (await repository.LoadAsync(summary.BidId, ct) is not { State: { ApprovedAmount: not null } bid })
            {
                continue;
            }

            var awarded = (await repository.HistoryAsync(bid.BidId, ct)).Select(e => e.Event).OfType<BoardApproved>().LastOrDefault()?.At;
            var grant = Grant(settings, bid, names.GetValueOrDefault(bid.OrganisationId), bid.BudgetLineId is { } line ? lines.GetValueOrDefault(line) : null, awarded);
            if (Problems(grant) is { Count: > 0 } reasons)
            {
                problems.Add(new UnpublishableGrant(grant["id"]!.GetValue<string>(), bid.Proposal.Title, reasons));
            }
            else
            {
                grants.Add(grant);
            }
        }

        return new GrantsExport(grants, problems);
    }

    /// <summary>The package the standard's JSON form is: the grants, the schema version and who published them, checked as a whole.</summary>
    public JsonObject Package(JsonArray grants, DateTimeOffset issued)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var settings = options.Value;
        var package = new JsonObject
        {
            ["version"] = Version,
            ["title"] = $"{settings.FunderName}: grants awarded",
            ["issued"] = issued.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["publisher"] = new JsonObject { ["identifier"] = settings.FunderId, ["name"] = settings.FunderName },
            ["license"] = "https://creativecommons.org/licenses/by/4.0/",
            ["grants"] = grants,
        };
        var result = Schemas.Value.Package.Evaluate(JsonSerializer.SerializeToElement(package), Checking);
        return result.IsValid ? package : throw new InvalidOperationException($"The 360Giving package did not validate: {string.Join("; ", Reasons(result))}");
    }

    /// <summary>Why the grant does not meet the standard's schema, in its words; none when it does.</summary>
    public static IReadOnlyList<string> Problems(JsonObject grant)
    {
        var result = Schemas.Value.Grant.Evaluate(JsonSerializer.SerializeToElement(grant), Checking);
        return result.IsValid ? [] : Reasons(result);
    }

    /// <summary>One grant as the standard writes it.</summary>
    public static JsonObject Grant(OpenDataOptions settings, BidState bid, Organisation? recipient, string? programme, DateTimeOffset? awardedAt)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(bid);
        var grant = new JsonObject
        {
            ["id"] = $"{settings.Prefix}-{bid.BidId}",
            ["title"] = bid.Proposal.Title,
            ["description"] = bid.Proposal.Summary,
            ["currency"] = "GBP",
            ["amountAwarded"] = bid.ApprovedAmount?.Total,
            ["plannedDates"] = new JsonArray(new JsonObject { ["startDate"] = Day(bid.Proposal.GrantStart), ["endDate"] = Day(bid.Proposal.GrantEnd) }),
            ["recipientOrganization"] = new JsonArray(Recipient(settings, bid.OrganisationId, recipient)),
            ["fundingOrganization"] = new JsonArray(new JsonObject { ["id"] = settings.FunderId, ["name"] = settings.FunderName }),
            ["dateModified"] = bid.StageEnteredAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        if (awardedAt is { } at)
        {
            grant["awardDate"] = Day(DateOnly.FromDateTime(at.UtcDateTime));
        }

        if (bid.BudgetLineId is { } line)
        {
            grant["grantProgramme"] = new JsonArray(new JsonObject { ["code"] = line, ["title"] = programme ?? line });
        }

        if (bid.Payments.Count > 0)
        {
            grant["amountDisbursed"] = bid.Payments.Sum(p => p.Amount.Total);
            grant["disbursementTransaction"] = new JsonArray([.. bid.Payments.Select(p => (JsonNode)new JsonObject
            {
                ["id"] = $"{settings.Prefix}-{bid.BidId}-payment-{p.Instalment}",
                ["transactionDate"] = Day(p.PaidOn),
                ["currency"] = "GBP",
                ["value"] = p.Amount.Total,
            })]);
        }

        return grant;
    }

    /// <summary>
    /// The recipient by its org-id where it registered with a number; an organisation without one is identified under
    /// the partnership's own prefix, as the standard's guidance says. Its contact person is never published.
    /// </summary>
    private static JsonObject Recipient(OpenDataOptions settings, string organisationId, Organisation? organisation)
    {
        var registered = organisationId.StartsWith("GB-", StringComparison.Ordinal);
        var recipient = new JsonObject
        {
            ["id"] = registered ? organisationId : $"{settings.Prefix}-org-{organisationId}",
            ["name"] = organisation?.Name ?? organisationId,
        };
        if (organisation?.CharityNumber is { } charity)
        {
            recipient["charityNumber"] = charity;
        }

        if (organisation?.CompanyNumber is { } company)
        {
            recipient["companyNumber"] = company;
        }

        return recipient;
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static List<string> Reasons(EvaluationResults result) =>
    [
        .. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "the grant")}: {e.Value}"))
            .Distinct(StringComparer.Ordinal),
    ];

    private static (JsonSchema Grant, JsonSchema Package) LoadSchemas()
    {
        var build = new BuildOptions { SchemaRegistry = new SchemaRegistry { Fetch = (uri, _) => SchemaRegistry.Global.Get(uri) } };
        var grant = JsonSchema.FromText(Resource("360-giving-schema.json"), build);

        // The 1.4.3 package schema still refers to its grants by the 1.4.2 address; the grant schema kept here is 1.4.3's.
        build.SchemaRegistry.Register(new Uri("https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"), grant);
        return (grant, JsonSchema.FromText(Resource("360-giving-package-schema.json"), build));
    }

    /// <summary>
    /// The schema file as the standard publishes it, except that its <c>$schema</c> names draft 2020-12 by http, an
    /// address no validator knows it by: the draft's own id is https.
    /// </summary>
    public static string SchemaText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("\"http://json-schema.org/draft/2020-12/schema\"", "\"https://json-schema.org/draft/2020-12/schema\"", StringComparison.Ordinal);
    }

    private static string Resource(string name)
    {
        using var reader = new StreamReader(EmbeddedData.Open(name));
        return SchemaText(reader.ReadToEnd());
    }
}
