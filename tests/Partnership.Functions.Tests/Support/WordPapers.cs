using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Partnership.Functions.Tests.Support;

/// <summary>A Word paper read back with the Open XML SDK: its paragraphs and tables as text, its styles, and whether Word would open it.</summary>
public sealed class WordPaper
{
    public WordPaper(byte[] content)
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(content), false);
        var body = document.MainDocumentPart!.Document!.Body!;
        Paragraphs = [.. body.Elements<Paragraph>().Select(p => p.InnerText)];
        Tables = [.. body.Elements<Table>().Select(t => (IReadOnlyList<string[]>)[.. t.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToArray())])];
        StylesUsed = [.. body.Descendants<ParagraphStyleId>().Select(s => s.Val!.Value!).Concat(body.Descendants<TableStyle>().Select(s => s.Val!.Value!)).Distinct()];
        StylesDefined = [.. document.MainDocumentPart.StyleDefinitionsPart!.Styles!.Elements<Style>().Select(s => s.StyleId!.Value!)];
        Errors = [.. new OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2019).Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}")];
        Title = document.PackageProperties.Title;
    }

    public IReadOnlyList<string> Paragraphs { get; }

    public IReadOnlyList<IReadOnlyList<string[]>> Tables { get; }

    public IReadOnlyList<string> StylesUsed { get; }

    public IReadOnlyList<string> StylesDefined { get; }

    public IReadOnlyList<string> Errors { get; }

    public string? Title { get; }

    /// <summary>The table (the first, or the one after <paramref name="skip"/> others) whose header row starts with <paramref name="firstHeading"/>.</summary>
    public IReadOnlyList<string[]> Table(string firstHeading, int skip = 0) => Tables.Where(t => t[0][0] == firstHeading).Skip(skip).First();

    public string[] Row(string firstHeading, string firstCell, int skip = 0) => Table(firstHeading, skip).Single(r => r[0] == firstCell);
}
