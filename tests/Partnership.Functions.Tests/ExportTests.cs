using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Partnership.Functions.Tests.Support;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>
/// Every table view downloads as CSV and as XLSX: numbers as numbers, dates as dates, the header row frozen, a cell
/// that would be a formula kept as text in both, and the file written as it is read rather than built first.
/// </summary>
public class ExportTests(AzuriteFixture azurite)
{
    private const string Formula = "=HYPERLINK(\"http://evil\")";

    [Fact]
    public async Task The_bids_and_the_budget_download_as_spreadsheets_with_typed_cells_and_a_frozen_header()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        await StartAsync(app.ClientFor("applicant-kca"), Formula);
        await StartAsync(app.ClientFor("applicant-other"), "Luncheon club");
        var coordinator = app.ClientFor("coordinator");

        // Read as it arrives: a file written as it is read has no length known before it is sent.
        using var bids = await coordinator.GetAsync("/api/reports/bids.xlsx", HttpCompletionOption.ResponseHeadersRead).Ok();
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bids.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bids.xlsx", bids.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Null(bids.Content.Headers.ContentLength);
        var sheet = await SheetAsync(bids);
        Assert.Equal(["Bid", "Organisation", "Stage", "Asked for", "Awarded", "Last changed"], sheet.Rows[0].Select(c => c.Text));
        Assert.True(sheet.HeaderFrozen);
        var evil = sheet.Rows.Single(r => r[0].Text == Formula);
        Assert.Equal(("Kids Can Achieve", "Draft"), (evil[1].Text, evil[2].Text));
        Assert.All(sheet.Rows.SelectMany(r => r), c => Assert.False(c.IsFormula));
        Assert.True(evil[0].IsText);
        Assert.Equal((false, 55_000m, "#,##0.00"), (evil[3].IsText, decimal.Parse(evil[3].Text, System.Globalization.CultureInfo.InvariantCulture), evil[3].Format));
        Assert.Equal((false, AppFactory.Start.Date.ToOADate(), "d mmm yyyy"), (evil[5].IsText, double.Parse(evil[5].Text, System.Globalization.CultureInfo.InvariantCulture), evil[5].Format));
        Assert.Equal(3, sheet.Rows.Count);

        var csv = await coordinator.GetStringAsync("/api/reports/bids.csv?stage=Draft");
        Assert.StartsWith("Bid,Organisation,Stage,Asked for,Awarded,Last changed\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\",Kids Can Achieve,Draft,55000.00,,2026-11-23\r\n", csv, StringComparison.Ordinal);
        Assert.Empty((await coordinator.GetStringAsync("/api/reports/bids.csv?stage=Monitoring")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1));
        var badStage = await coordinator.GetAsync("/api/reports/bids.xlsx?stage=Nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, badStage.StatusCode);
        Assert.Contains("Stage is one of", await badStage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var budget = await coordinator.GetAsync("/api/reports/budget-summary.xlsx").Ok();
        var lines = await SheetAsync(budget);
        Assert.Equal(["2010/11 LAA Reward Grant", "2010/11", "250000", "100000"], lines.Rows[1].Select(c => c.Text));
        Assert.Equal(["TOTAL", "", "250000", "100000"], lines.Rows[2].Select(c => c.Text));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor("applicant-kca").GetAsync("/api/reports/bids.xlsx")).StatusCode);
    }

    [Fact]
    public async Task The_finance_list_the_decisions_the_sign_ins_and_the_outcome_measures_download_for_the_people_who_read_them()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        await app.Get<Seeding.OutcomeSeeder>().SeedAsync(15, CancellationToken.None);
        var funded = await PlantedBids.InMonitoringAsync(app, new Workflows.Funding(30_000m, 0m), Formula, new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31));
        await app.ClientFor("finance").CommandAsync($"/api/bids/{funded}/instalments", new[] { new { number = 1, dueOn = "2027-01-15", revenue = 12_500.50m, capital = 0m }, new { number = 2, dueOn = "2027-06-30", revenue = 17_499.50m, capital = 0m } }, method: HttpMethod.Put).Ok();
        var referred = await SubmittedAsync(app);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{referred}/hce-referral").Ok();
        await DrainAsync(app);
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        await app.Get<Identity.SignInAudit>().RecordAsync(http, "Refused", null, "=cmd|' /C calc'!A0", "Email link", "Link already used", CancellationToken.None);

        using var instalments = await app.ClientFor("finance").GetAsync("/api/reports/instalments.xlsx", HttpCompletionOption.ResponseHeadersRead).Ok();
        var sheet = await SheetAsync(instalments);
        Assert.True(sheet.HeaderFrozen);
        Assert.Equal(["Project", "Organisation", "Instalment", "Due", "Revenue", "Capital", "Status"], sheet.Rows[0].Select(c => c.Text));
        Assert.Equal(3, sheet.Rows.Count);
        var row = sheet.Rows[1];
        Assert.Equal((Formula, true, "1", new DateTime(2027, 1, 15).ToOADate().ToString(System.Globalization.CultureInfo.InvariantCulture), "12500.5", "#,##0.00", "Not yet due"),
            (row[0].Text, row[0].IsText, row[2].Text, row[3].Text, row[4].Text, row[4].Format, row[6].Text));
        Assert.All(sheet.Rows.SelectMany(r => r), c => Assert.False(c.IsFormula));
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\",Kids Can Achieve,1,2027-01-15,12500.50,0.00,Not yet due\r\n", await app.ClientFor("coordinator").GetStringAsync("/api/reports/instalments.csv"), StringComparison.Ordinal);
        Assert.Equal("Project,Organisation,Awarded revenue,Awarded capital\r\n", await app.ClientFor("auditor").GetStringAsync("/api/reports/purchase-orders.csv"));

        var decisions = await app.ClientFor("hce").GetStringAsync("/api/reports/decisions.csv");
        Assert.StartsWith("Bid,Organisation,Asked for,Recommended,Decision due\r\nTop Families Project,Kids Can Achieve,55000.00,,2026-", decisions, StringComparison.Ordinal);
        Assert.Equal("Bid,Organisation,Asked for,Recommended,Decision due\r\n", await app.ClientFor("board").GetStringAsync("/api/reports/decisions.csv"));

        var signIns = await app.ClientFor("auditor").GetStringAsync("/api/reports/sign-ins.csv");
        Assert.StartsWith("When,What,User,Email,How,From,Why refused\r\n2026-11-23 09:00:00,Refused,,", signIns, StringComparison.Ordinal);
        Assert.Contains(",'=cmd|' /C calc'!A0,Email link,", signIns.Replace("\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        using var signInSheet = await app.ClientFor("auditor").GetAsync("/api/reports/sign-ins.xlsx").Ok();
        var when = (await SheetAsync(signInSheet)).Rows[1][0];
        Assert.Equal((false, "d mmm yyyy hh:mm:ss"), (when.IsText, when.Format));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor("coordinator").GetAsync("/api/reports/sign-ins.csv")).StatusCode);

        using var outcomes = await app.ClientFor("andrew-trehern").GetAsync("/api/outcomes/framework.xlsx").Ok();
        var framework = await SheetAsync(outcomes);
        var om14 = framework.Rows.Single(r => r[1].Text == "OM14" && r[6].Text == "2026/27");
        Assert.Equal(["Worklessness/Welfare", "OM14", "Reduced number of empty commercial premises", "Andrew Trehern", "2025/26", "212", "2026/27", "200", "214", "1", "Amber"], om14.Select(c => c.Text));
        Assert.False(om14[8].IsText);
        Assert.Equal(1 + 17 + 3 + 3, framework.Rows.Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor("applicant-kca").GetAsync("/api/outcomes/framework.csv")).StatusCode);
        Assert.Equal(
            "Quarter,Figure,Comment,Given by,Given\r\n2026/27 Q1,214,Business rates void list at 30 June.,Andrew Trehern,2026-07-20 11:00:00\r\n",
            await app.ClientFor("coordinator").GetStringAsync("/api/outcomes/OM14/figures.csv"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor("coordinator").GetAsync("/api/outcomes/OM99/figures.xlsx")).StatusCode);
    }

    private sealed record SheetCell(string Text, bool IsText, bool IsFormula, string? Format);

    private sealed record Sheet(IReadOnlyList<IReadOnlyList<SheetCell>> Rows, bool HeaderFrozen);

    /// <summary>The first worksheet read back with the Open XML SDK: each cell's value, whether it is text or a formula, and its number format.</summary>
    private static async Task<Sheet> SheetAsync(HttpResponseMessage response)
    {
        using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(file, false);
        var workbook = document.WorkbookPart!;
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        var stylesheet = workbook.WorkbookStylesPart!.Stylesheet;
        var formats = stylesheet.NumberingFormats?.Elements<NumberingFormat>().ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode!.Value!) ?? [];
        var cellFormats = stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        string? FormatOf(Cell cell)
        {
            var id = cellFormats[(int)(cell.StyleIndex?.Value ?? 0)].NumberFormatId?.Value ?? 0;
            return formats.GetValueOrDefault(id) ?? (id == 4 ? "#,##0.00" : null);
        }

        var worksheet = workbook.WorksheetParts.First().Worksheet;
        var pane = worksheet.Descendants<Pane>().FirstOrDefault();
        var rows = worksheet.Descendants<Row>().Select(row => (IReadOnlyList<SheetCell>)[.. row.Elements<Cell>().Select(cell =>
        {
            var type = cell.DataType?.Value;
            var isText = type == CellValues.SharedString || type == CellValues.InlineString || type == CellValues.String;
            var text = type == CellValues.SharedString ? shared[int.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)]
                : type == CellValues.InlineString ? cell.InlineString!.InnerText
                : cell.CellValue?.Text ?? "";
            return new SheetCell(text, isText, cell.CellFormula is not null, FormatOf(cell));
        })]).ToList();
        return new Sheet(rows, pane is { VerticalSplit.Value: 1 } && pane.State?.Value == PaneStateValues.Frozen);
    }
}
