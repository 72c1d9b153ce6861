using System.IO.Compression;
using System.Text;

namespace Partnership.Functions.Documents;

public sealed record FileType(string Name, string ContentType, string[] Extensions);

/// <summary>
/// Recognises the allowed document types from the file's own bytes; the name and the declared content type are
/// only checked for agreement with what the bytes are. Files that are also something else (a PDF that is a web page
/// too) and archives that would inflate beyond any real document are refused, without inflating them.
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

    /// <summary>Real office documents hold a few hundred parts; a package with more is not a document.</summary>
    public const int MaxPackageEntries = 2_000;

    /// <summary>What all of a package's parts may add up to once inflated, as their headers declare.</summary>
    public const long MaxPackageInflatedBytes = 200L * 1024 * 1024;

    /// <summary>Office XML compresses well, but not this well: a part that claims more is a bomb.</summary>
    public const int MaxCompressionRatio = 200;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegSignature = [0xFF, 0xD8, 0xFF];

    /// <summary>Markup a browser would sniff as a page; none of it belongs in the first kilobyte of a document.</summary>
    private static readonly string[] Markup = ["<html", "<script", "<!doctype", "<body", "<head", "<iframe", "<svg", "<object", "<embed", "<meta", "<img", "<a href"];

    public static FileType? Recognise(ReadOnlySpan<byte> bytes) => Recognise(bytes, out _);

    /// <summary>The file's type, or null with the reason when the reason is more than "not an allowed type".</summary>
    public static FileType? Recognise(ReadOnlySpan<byte> bytes, out string? refusal)
    {
        refusal = null;
        if (LooksLikeMarkup(bytes))
        {
            refusal = "The file holds web page markup near its start, so it could be opened as a page. Save it again as a plain document and upload that.";
            return null;
        }

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

        return bytes.StartsWith("PK\u0003\u0004"u8) ? RecognisePackage(bytes.ToArray(), out refusal) : null;
    }

    private static bool LooksLikeMarkup(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 1024)]);
        return Markup.Any(tag => head.Contains(tag, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Office and OpenDocument files are zip packages; what is inside tells them apart from any other zip. Only the
    /// central directory is read, and the one part read for its content (ODF's mimetype) is read up to a few bytes.
    /// </summary>
    private static FileType? RecognisePackage(byte[] bytes, out string? refusal)
    {
        refusal = null;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            var entries = zip.Entries;
            if (entries.Count > MaxPackageEntries
                || entries.Sum(e => e.Length) > MaxPackageInflatedBytes
                || entries.Any(e => e.Length > 1024 * 1024 && e.Length / Math.Max(1, e.CompressedLength) > MaxCompressionRatio)
                || entries.Any(e => e.CompressedLength > e.Length + 1024))
            {
                refusal = "The file is an archive that would inflate far beyond any real document, or whose parts are not the sizes it says, so it is not accepted.";
                return null;
            }

            if (zip.GetEntry("word/document.xml") is not null && zip.GetEntry("[Content_Types].xml") is not null)
            {
                return Docx;
            }

            if (zip.GetEntry("xl/workbook.xml") is not null && zip.GetEntry("[Content_Types].xml") is not null)
            {
                return Xlsx;
            }

            return zip.GetEntry("mimetype") is { } mimetype && ReadStart(mimetype, Odt.ContentType.Length + 2).Trim() == Odt.ContentType ? Odt : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>At most <paramref name="limit"/> bytes of a part, whatever its header claims and however far it would inflate.</summary>
    private static string ReadStart(ZipArchiveEntry entry, int limit)
    {
        using var stream = entry.Open();
        var buffer = new byte[limit];
        var read = 0;
        while (read < limit && stream.Read(buffer, read, limit - read) is var n and > 0)
        {
            read += n;
        }

        return read == limit && stream.ReadByte() >= 0 ? "" : Encoding.ASCII.GetString(buffer, 0, read);
    }
}
