using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Skillscope.Assessment.Reports;

namespace Skillscope.Server.Reports;

/// <summary>
/// Student reports as PDF (US Letter): what <see cref="StudentReportHtml"/> shows, drawn with PDFsharp.
/// Each report starts on a new page; a skill is never split across pages; every page ends with the report's
/// footer and "page n of m" within its report, so a class bundle can be printed and handed out page by page.
/// </summary>
public static class StudentReportPdf
{
    /// <summary>One PDF holding <paramref name="reports"/> in order (a single report, or a class's bundle).</summary>
    public static byte[] Render(IReadOnlyList<StudentReport> reports, string title, ReportFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(fonts);
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Author = "Skillscope";
        document.Info.Subject = "Social-emotional skills report";
        document.PageLayout = PdfPageLayout.SinglePage;
        document.Language = "en";
        foreach (var report in reports)
        {
            using var writer = new ReportPageWriter(document, report);
            writer.Write();
        }

        if (reports.Count == 0)
        {
            // A class without students: one page that says so (PDFsharp cannot save a document without pages).
            using var writer = new ReportPageWriter(document, new StudentReport("", ReportAudience.Teacher, "", title, "", null,
                "There are no students in this class yet, so there is nothing to print.", "", [], [], [], ""));
            writer.Write();
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    /// <summary>Lays one report out on as many pages as it needs.</summary>
    private sealed class ReportPageWriter(PdfDocument document, StudentReport report) : IDisposable
    {
        private const double Margin = 54;
        private const double FooterHeight = 40;

        private static readonly XColor Ink = XColor.FromArgb(0x1f, 0x29, 0x33);
        private static readonly XColor Muted = XColor.FromArgb(0x52, 0x60, 0x6d);
        private static readonly XColor Accent = XColor.FromArgb(0x1f, 0x4e, 0x79);
        private static readonly XColor Rule = XColor.FromArgb(0xcb, 0xd2, 0xd9);

        private readonly XFont _title = new("DejaVu Sans", 17, XFontStyleEx.Bold);
        private readonly XFont _heading = new("DejaVu Sans", 12.5, XFontStyleEx.Bold);
        private readonly XFont _bold = new("DejaVu Sans", 10, XFontStyleEx.Bold);
        private readonly XFont _body = new("DejaVu Sans", 10, XFontStyleEx.Regular);
        private readonly XFont _quote = new("DejaVu Sans", 9.5, XFontStyleEx.Italic);
        private readonly XFont _small = new("DejaVu Sans", 8.5, XFontStyleEx.Regular);
        private readonly List<PdfPage> _pages = [];
        private XGraphics? _graphics;
        private double _y;

        private double Width => _pages[^1].Width.Point - (2 * Margin);

        private double Bottom => _pages[^1].Height.Point - Margin - FooterHeight;

        private XGraphics Graphics => _graphics!;

        public void Write()
        {
            NewPage();
            Paragraph(report.Heading, _title, Accent);
            string subtitle = report.AssessedAt is { } at ? $"{report.Subtitle} · {StudentReports.AssessedLine(at)}" : report.Subtitle;
            Paragraph(subtitle, _body, Muted);
            _y += 4;
            Graphics.DrawLine(new XPen(Accent, 2.5), Margin, _y, Margin + Width, _y);
            _y += 14;
            if (report.NotAssessed is { } notAssessed)
            {
                Paragraph(notAssessed, _body, Ink);
            }
            else
            {
                WriteBody();
            }

            FinishPages();
        }

        private void WriteBody()
        {
            bool family = report.Audience == ReportAudience.Family;
            Heading("Summary");
            Paragraph(report.Summary, _body, Ink);
            List(family ? "Where they shine" : "Strengths", report.Strengths);
            List(family ? "What to practise next" : "Next steps", report.NextSteps);
            Heading("Skill by skill");
            foreach (var skill in report.Skills)
            {
                // Measured first, so a skill that does not fit starts on the next page instead of being split.
                double height = Skill(skill, family, draw: false);
                if (_y + height > Bottom && height <= Bottom - Margin)
                {
                    NewPage();
                }

                Skill(skill, family, draw: true);
            }
        }

        private double Skill(SkillReportSection skill, bool family, bool draw)
        {
            double top = _y, x = Margin + 10, width = Width - 20;
            double y = top + 10;
            if (draw)
            {
                Graphics.DrawString(skill.Title, _heading, new XSolidBrush(Ink), new XRect(x, y, width, 16), XStringFormats.TopLeft);
                double pillX = x + Graphics.MeasureString(skill.Title, _heading).Width + 10;
                double pillWidth = Graphics.MeasureString(skill.BandLabel, _bold).Width + 12;
                var (fill, text) = BandColours(skill.Band);
                Graphics.DrawRoundedRectangle(new XSolidBrush(fill), pillX, y, pillWidth, 15, 5, 5);
                Graphics.DrawString(skill.BandLabel, _bold, new XSolidBrush(text), new XRect(pillX + 6, y + 1.5, pillWidth, 14), XStringFormats.TopLeft);
            }

            y += 22;
            if (skill.Level is { } level)
            {
                if (draw)
                {
                    DrawBar(x, y, level, skill.ClassAverage);
                }

                string figures = string.Create(CultureInfo.InvariantCulture, $"Level {level:0.00} of 1")
                    + (skill.ClassAverage is { } average ? string.Create(CultureInfo.InvariantCulture, $" · class average {average:0.00} (the dark tick)") : "");
                y = Text(figures, _small, Muted, x + 180, y - 1, width - 180, draw) + 6;
            }

            if (skill.Text.Length > 0)
            {
                y = Text(skill.Text, _body, Ink, x, y, width, draw) + 4;
            }

            if (skill.NextStep.Length > 0)
            {
                string label = family ? "Something to try together: " : "Next step: ";
                if (draw)
                {
                    Graphics.DrawString(label, _bold, new XSolidBrush(Ink), new XRect(x, y, width, 14), XStringFormats.TopLeft);
                }

                y = Text(skill.NextStep, _body, Ink, x, y + 14, width, draw) + 4;
            }

            foreach (var item in skill.Evidence)
            {
                y = Text($"• {item.Source} · {item.Direction}: {item.Description}", _body, Ink, x, y, width, draw);
                if (item.Quote is { } quote)
                {
                    y = Text($"\u201c{quote}\u201d", _quote, Muted, x + 14, y + 1, width - 14, draw);
                }

                y += 2;
            }

            y += 8;
            if (draw)
            {
                Graphics.DrawRoundedRectangle(new XPen(Rule, 0.8), Margin, top, Width, y - top, 6, 6);
                _y = y + 8;
            }

            return y - top + 8;
        }

        private void DrawBar(double x, double y, double level, double? average)
        {
            const double Length = 170;
            Graphics.DrawRoundedRectangle(new XSolidBrush(XColor.FromArgb(0xe4, 0xe7, 0xeb)), x, y + 2, Length, 7, 3, 3);
            Graphics.DrawRoundedRectangle(new XSolidBrush(Accent), x, y + 2, Math.Max(Length * Math.Clamp(level, 0, 1), 3), 7, 3, 3);
            if (average is { } tick)
            {
                double at = x + (Length * Math.Clamp(tick, 0, 1));
                Graphics.DrawLine(new XPen(Ink, 1.6), at, y - 1, at, y + 12);
            }
        }

        private void Heading(string text)
        {
            if (_y + 60 > Bottom)
            {
                NewPage();
            }

            _y += 6;
            Paragraph(text, _heading, Accent);
            _y += 2;
        }

        private void List(string title, IReadOnlyList<string> items)
        {
            if (items.Count == 0)
            {
                return;
            }

            _y += 4;
            Paragraph(title, _bold, Ink);
            foreach (string item in items)
            {
                Paragraph("• " + item, _body, Ink, indent: 10);
            }
        }

        /// <summary>Flowing text at the cursor, onto a new page when it reaches the bottom.</summary>
        private void Paragraph(string text, XFont font, XColor colour, double indent = 0)
        {
            foreach (string line in Lines(text, font, Width - indent))
            {
                double lineHeight = font.Size * 1.4;
                if (_y + lineHeight > Bottom)
                {
                    NewPage();
                }

                Graphics.DrawString(line, font, new XSolidBrush(colour), new XRect(Margin + indent, _y, Width - indent, lineHeight), XStringFormats.TopLeft);
                _y += lineHeight;
            }

            _y += 3;
        }

        /// <summary>Wrapped text in a block (drawn or only measured); answers where the block ends.</summary>
        private double Text(string text, XFont font, XColor colour, double x, double y, double width, bool draw)
        {
            double lineHeight = font.Size * 1.4;
            foreach (string line in Lines(text, font, width))
            {
                if (draw)
                {
                    Graphics.DrawString(line, font, new XSolidBrush(colour), new XRect(x, y, width, lineHeight), XStringFormats.TopLeft);
                }

                y += lineHeight;
            }

            return y;
        }

        /// <summary>Words (split at any white space) wrapped to <paramref name="width"/>; a word longer than a line is cut where it fits.</summary>
        private List<string> Lines(string text, XFont font, double width)
        {
            var lines = new List<string>();
            string current = "";
            foreach (string word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = current.Length == 0 ? word : current + " " + word;
                if (Graphics.MeasureString(candidate, font).Width <= width)
                {
                    current = candidate;
                    continue;
                }

                if (current.Length > 0)
                {
                    lines.Add(current);
                }

                current = word;
                while (current.Length > 1 && Graphics.MeasureString(current, font).Width > width)
                {
                    int fits = Fitting(current, font, width);
                    lines.Add(current[..fits]);
                    current = current[fits..];
                }
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            return lines;
        }

        /// <summary>How many of the word's characters fit the width (at least one), found by halving, never splitting a surrogate pair.</summary>
        private int Fitting(string word, XFont font, double width)
        {
            int low = 1, high = word.Length - 1;
            while (low < high)
            {
                int middle = (low + high + 1) / 2;
                if (Graphics.MeasureString(word[..middle], font).Width <= width)
                {
                    low = middle;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return low > 1 && char.IsHighSurrogate(word[low - 1]) ? low - 1 : low;
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.Letter;
            _pages.Add(page);
            _graphics = XGraphics.FromPdfPage(page);
            _y = Margin;
        }

        /// <summary>The footer and "page n of m" on each of this report's pages, once their number is known.</summary>
        private void FinishPages()
        {
            _graphics?.Dispose();
            _graphics = null;
            for (int i = 0; i < _pages.Count; i++)
            {
                var page = _pages[i];
                // Held in _graphics (which Text draws with) and disposed through it, once.
                _graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                double top = page.Height.Point - Margin - FooterHeight + 12;
                Graphics.DrawLine(new XPen(Rule, 0.8), Margin, top, Margin + Width, top);
                double y = Text(report.Footer, _small, Muted, Margin, top + 4, Width, draw: true);
                // The id beside the name: two students of one class may share a name, and a bundle is handed out page by page.
                string who = report.StudentId.Length == 0 ? "" : $"{report.StudentName} ({report.StudentId}) · ";
                string number = string.Create(CultureInfo.InvariantCulture, $"{who}page {i + 1} of {_pages.Count}");
                Graphics.DrawString(number, _small, new XSolidBrush(Muted), new XRect(Margin, y + 1, Width, 12), XStringFormats.TopRight);
                _graphics.Dispose();
                _graphics = null;
            }
        }

        private static (XColor Fill, XColor Text) BandColours(string band) => band switch
        {
            "strength" => (XColor.FromArgb(0xe3, 0xf4, 0xea), XColor.FromArgb(0x15, 0x5d, 0x38)),
            "growth_area" => (XColor.FromArgb(0xfb, 0xe9, 0xe9), XColor.FromArgb(0x8f, 0x24, 0x24)),
            _ => (XColor.FromArgb(0xfd, 0xf3, 0xe1), XColor.FromArgb(0x7a, 0x4d, 0x0b)),
        };

        public void Dispose() => _graphics?.Dispose();
    }
}
