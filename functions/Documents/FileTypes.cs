using System.IO.Compression;
using System.Text;

namespace Partnership.Functions.Documents;

public sealed record FileType(string Name, string ContentType, string[] Extensions);

/// <summary>
/// Recognises the allowed document types from the file's own bytes; the name and the declared content type are
/// only checked for agreement with what the bytes are.
/// </summary>
public static class FileTypes
{
    public static readonly FileType Pdf = new("PDF", "application/pdf", [".pdf"]);
    public static readonly FileType Docx = new("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"]);
    public static readonly FileType Xlsx = new("Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"]);
    public static readonly FileType Odt = new("OpenDocument text", "application/vnd.oasis.opendocument.text", [".odt"]);
    public static readonly FileType Png = new("PNG image", "image/png", [".png"]);
    public static readonly FileType Jpeg = new("JPEG image", "image/jpeg", [".jpg", ".jpeg"]);

    public static IReadOnlyList<FileType> Allowed { get; } = [Pdf, Docx, Xlsx, Odt, Png, Jpeg];

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegSignature = [0xFF, 0xD8, 0xFF];

    public static FileType? Recognise(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        if (bytes.StartsWith(PngSignature))
        {
            return Png;
        }

        if (bytes.StartsWith(JpegSignature))
        {
            return Jpeg;
        }

        return bytes.StartsWith("PK\u0003\u0004"u8) ? RecognisePackage(bytes.ToArray()) : null;
    }

    /// <summary>Office and OpenDocument files are zip packages; what is inside tells them apart from any other zip.</summary>
    private static FileType? RecognisePackage(byte[] bytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            if (zip.GetEntry("word/document.xml") is not null && zip.GetEntry("[Content_Types].xml") is not null)
            {
                return Docx;
            }

            if (zip.GetEntry("xl/workbook.xml") is not null && zip.GetEntry("[Content_Types].xml") is not null)
            {
                return Xlsx;
            }

            if (zip.GetEntry("mimetype") is { } mimetype)
            {
                using var reader = new StreamReader(mimetype.Open(), Encoding.ASCII);
                return reader.ReadToEnd().Trim() == Odt.ContentType ? Odt : null;
            }

            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
