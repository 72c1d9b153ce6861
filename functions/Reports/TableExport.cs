using System.Globalization;
using CsvHelper;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Partnership.Functions.Reports;

/// <summary>What a column holds, so that a spreadsheet gets numbers as numbers and dates as dates.</summary>
public enum ColumnKind
{
    Text,
    Money,
    Count,
    Date,

    /// <summary>A measured figure: a decimal with as many places as it was given, up to four.</summary>
    Figure,

    /// <summary>A moment, written in UK time.</summary>
    Time,
}

public sealed record ExportColumn(string Heading, ColumnKind Kind = ColumnKind.Text);

/// <summary>
/// A table as its page shows it, for download: its columns, then its rows, each cell a string, decimal (money, or a
/// figure in a <see cref="ColumnKind.Figure"/> column), int, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/> or
/// null (empty), in the columns' order.
/// </summary>
public sealed record ExportTable(string Name, IReadOnlyList<ExportColumn> Columns, IEnumerable<IReadOnlyList<object?>> Rows);

public enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// A table written to the response as it is read, never built in memory first: CSV through CsvHelper, with a cell
/// that would start a formula prefixed so it reads as text; XLSX through SpreadCheetah, header row bold and frozen,
/// money as numbers to two places, dates as dates, text always a text cell (never a formula).
/// </summary>
public sealed class TableFile(ExportTable table, ExportFormat format) : IResult
{
    private static readonly CsvWriterOptions Csv = new() { Injection = CsvInjection.Escape };

    public static string ContentType(ExportFormat format) => format == ExportFormat.Csv
        ? "text/csv; charset=utf-8"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.ContentType = ContentType(format);
        response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = $"{table.Name}.{(format == ExportFormat.Csv ? "csv" : "xlsx")}",
        }.ToString();
        var ct = httpContext.RequestAborted;
        if (format == ExportFormat.Csv)
        {
            await WriteCsvAsync(response.Body, table, ct);
        }
        else
        {
            // The rows go out asynchronously as they are written; only the zip's closing directory, a few hundred
            // bytes, is written synchronously when the archive is disposed, and Kestrel refuses that unless allowed.
            if (httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>() is { } body)
            {
                body.AllowSynchronousIO = true;
            }

            await WriteXlsxAsync(response.Body, table, ct);
        }
    }

    public static async Task WriteCsvAsync(Stream stream, ExportTable table, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(table);
        await using var csv = CsvWriter.Create(stream, Csv, true);
        foreach (var column in table.Columns)
        {
            csv.WriteField(column.Heading);
        }

        await csv.EndRecordAsync(ct);
        foreach (var row in table.Rows)
        {
            for (var i = 0; i < row.Count; i++)
            {
                switch (row[i])
                {
                    case decimal figure when table.Columns[i].Kind == ColumnKind.Figure:
                        csv.WriteField(figure, "0.####");
                        break;
                    case decimal amount:
                        csv.WriteField(amount, "0.00");
                        break;
                    case DateTimeOffset at:
                        csv.WriteField(TimeZoneInfo.ConvertTime(at, Infrastructure.UkTime.Zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                        break;
                    case int count:
                        csv.WriteField(count, "0");
                        break;
                    case DateOnly date:
                        csv.WriteField(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                        break;
                    case var cell:
                        csv.WriteField(cell?.ToString() ?? "");
                        break;
                }
            }

            await csv.EndRecordAsync(ct);
        }

        await csv.FlushAsync(ct);
    }

    public static async Task WriteXlsxAsync(Stream stream, ExportTable table, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(table);
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(stream, new SpreadCheetahOptions { BufferSize = 64 * 1024 }, ct);
        var options = new WorksheetOptions { FrozenRows = 1 };
        for (var i = 0; i < table.Columns.Count; i++)
        {
            options.Column(i + 1).Width = table.Columns[i].Kind == ColumnKind.Text ? 40 : 16;
        }

        await spreadsheet.StartWorksheetAsync(table.Name.Length > 31 ? table.Name[..31] : table.Name, options, ct);
        var header = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        var money = spreadsheet.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.ThousandsSeparatorTwoDecimalPlaces) });
        var date = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom("d mmm yyyy") });
        var time = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom("d mmm yyyy hh:mm:ss") });
        var figure = spreadsheet.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.General) });
        await spreadsheet.AddHeaderRowAsync([.. table.Columns.Select(c => c.Heading)], header, ct);
        var cells = new Cell[table.Columns.Count];
        foreach (var row in table.Rows)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = row[i] switch
                {
                    decimal value when table.Columns[i].Kind == ColumnKind.Figure => new Cell(value, figure),
                    decimal amount => new Cell(amount, money),
                    DateTimeOffset at => new Cell(TimeZoneInfo.ConvertTime(at, Infrastructure.UkTime.Zone).DateTime, time),
                    int count => new Cell(count),
                    DateOnly day => new Cell(day.ToDateTime(TimeOnly.MinValue), date),
                    null => new Cell(),
                    var text => new Cell(text.ToString()),
                };
            }

            await spreadsheet.AddRowAsync(cells, ct);
        }

        await spreadsheet.FinishAsync(ct);
    }
}
