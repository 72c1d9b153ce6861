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
