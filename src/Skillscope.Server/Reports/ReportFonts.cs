using PdfSharp.Fonts;

namespace Skillscope.Server.Reports;

/// <summary>
/// The typefaces of the PDF reports: DejaVu Sans from the system's fonts (Debian's <c>fonts-dejavu-core</c>),
/// never downloaded. PDFsharp takes one font resolver per process, set once before its first use and never
/// changed, so this is the one piece of process-wide state here: <see cref="Install"/> sets it the first time,
/// and the faces read then serve the process from then on (a changed Reports:FontDirectory needs a restart).
/// </summary>
public sealed class ReportFonts : IFontResolver
{
    /// <summary>Where Debian, Ubuntu, Fedora and Alpine put DejaVu Sans (searched when no directory is set).</summary>
    private static readonly string[] KnownDirectories = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF"];

    private static readonly string[] Faces = ["DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"];

    private static readonly Lock Installing = new();

    private readonly Dictionary<string, byte[]> _faces;

    private ReportFonts(string directory, Dictionary<string, byte[]> faces)
    {
        Directory = directory;
        _faces = faces;
    }

    /// <summary>The folder the faces were read from.</summary>
    public string Directory { get; }

    /// <summary>The resolver PDFsharp uses, installed from <paramref name="directory"/> (or the first known folder holding the faces).</summary>
    /// <exception cref="ReportFontsMissingException">No folder holds DejaVu Sans regular, bold and oblique.</exception>
    public static ReportFonts Install(string? directory)
    {
        lock (Installing)
        {
            if (GlobalFontSettings.FontResolver is ReportFonts installed)
            {
                return installed;
            }

            string[] candidates = string.IsNullOrWhiteSpace(directory) ? KnownDirectories : [directory];
            foreach (string candidate in candidates)
            {
                if (Faces.All(face => File.Exists(Path.Combine(candidate, face + ".ttf"))))
                {
                    var fonts = new ReportFonts(candidate, Faces.ToDictionary(face => face, face => File.ReadAllBytes(Path.Combine(candidate, face + ".ttf")), StringComparer.Ordinal));
                    GlobalFontSettings.FontResolver = fonts;
                    return fonts;
                }
            }

            throw new ReportFontsMissingException($"DejaVu Sans (regular, bold, oblique) was not found in {string.Join(", ", candidates)}: install the fonts-dejavu-core package or set Reports:FontDirectory");
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : italic ? "DejaVuSans-Oblique" : "DejaVuSans");

    public byte[]? GetFont(string faceName) => _faces.GetValueOrDefault(faceName);
}
