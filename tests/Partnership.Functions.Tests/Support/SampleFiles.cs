using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Partnership.Functions.Tests.Support;

/// <summary>Real files of each allowed kind, made the way the tools people use make them.</summary>
public static class SampleFiles
{
    public static byte[] Docx(string text)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            document.AddMainDocumentPart().Document = new Document(new Body(new Paragraph(new DocumentFormat.OpenXml.Wordprocessing.Run(new DocumentFormat.OpenXml.Wordprocessing.Text(text)))));
        }

        return stream.ToArray();
    }

    public static byte[] Xlsx()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(new SheetData());
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "Budget" }));
        }

        return stream.ToArray();
    }

    public static byte[] Odt()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var writer = new StreamWriter(zip.CreateEntry("mimetype", CompressionLevel.NoCompression).Open(), Encoding.ASCII))
            {
                writer.Write("application/vnd.oasis.opendocument.text");
            }

            using var content = new StreamWriter(zip.CreateEntry("content.xml").Open());
            content.Write("<office:document-content/>");
        }

        return stream.ToArray();
    }

    public static byte[] PlainZip()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open());
            writer.Write("not a document");
        }

        return stream.ToArray();
    }

    /// <summary>A real PDF header with a web page after it, the kind of file a browser sniffing content would run as a page.</summary>
    public static byte[] PdfPolyglot { get; } = "%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"u8.ToArray();

    /// <summary>A Word document whose central directory says one part inflates to a gigabyte; nothing needs inflating to see it.</summary>
    public static byte[] DocxBomb() => WithDeclaredSize(Docx("bomb"), "word/document.xml", 1024u * 1024 * 1024);

    /// <summary>
    /// An OpenDocument file whose mimetype part really holds 20 MB (deflated to a few kilobytes) while its headers
    /// claim the 39 bytes of a real one: only reading with a cap tells.
    /// </summary>
    public static byte[] OdtBomb()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var mimetype = zip.CreateEntry("mimetype", CompressionLevel.SmallestSize).Open())
            {
                mimetype.Write("application/vnd.oasis.opendocument.text"u8);
                var padding = new byte[1024 * 1024];
                for (var i = 0; i < 20; i++)
                {
                    mimetype.Write(padding);
                }
            }

            using var content = new StreamWriter(zip.CreateEntry("content.xml").Open());
            content.Write("<office:document-content/>");
        }

        return WithDeclaredSize(stream.ToArray(), "mimetype", 39);
    }

    /// <summary>Rewrites the uncompressed size an entry's local and central headers declare, leaving its data as it is.</summary>
    private static byte[] WithDeclaredSize(byte[] zip, string entry, uint size)
    {
        var name = Encoding.ASCII.GetBytes(entry);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var local = zip[i] == 0x50 && zip[i + 1] == 0x4B && zip[i + 2] == 3 && zip[i + 3] == 4;
            var central = zip[i] == 0x50 && zip[i + 1] == 0x4B && zip[i + 2] == 1 && zip[i + 3] == 2;
            var nameAt = local ? i + 30 : central ? i + 46 : -1;
            if (nameAt < 0 || BitConverter.ToUInt16(zip, local ? i + 26 : i + 28) != name.Length || !zip.AsSpan(nameAt, name.Length).SequenceEqual(name))
            {
                continue;
            }

            BitConverter.TryWriteBytes(zip.AsSpan(local ? i + 22 : i + 24, 4), size);
        }

        return zip;
    }

    public static byte[] Png { get; } = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    public static byte[] Jpeg { get; } = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46];
}
