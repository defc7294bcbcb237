using System.Globalization;
using System.Net;
using System.Text;
using Skillscope.Assessment.Reports;

namespace Skillscope.Server.Reports;

/// <summary>
/// A student report as one self-contained HTML page (its style inline, nothing fetched), laid out for the
/// screen and, through its print stylesheet, for paper: one skill never split across pages, no links shown
/// as links. Bands are written out and every bar has its figures beside it, so nothing depends on colour.
/// </summary>
public static class StudentReportHtml
{
    private const string Style = """
        :root { color: #1f2933; font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; line-height: 1.45; }
        body { margin: 0 auto; max-width: 52rem; padding: 1.5rem; }
        header { border-bottom: 3px solid #1f4e79; margin-bottom: 1rem; }
        h1 { font-size: 1.6rem; margin: 0 0 .25rem; color: #1f4e79; }
        h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; color: #1f4e79; }
        h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
        .muted { color: #52606d; }
        .skill { border: 1px solid #cbd2d9; border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; break-inside: avoid; page-break-inside: avoid; }
        .band { display: inline-block; font-weight: 700; padding: 0 .5rem; border-radius: 4px; }
        .band.strength { background: #e3f4ea; color: #155d38; }
        .band.developing { background: #fdf3e1; color: #7a4d0b; }
        .band.growth_area { background: #fbe9e9; color: #8f2424; }
        .bar { position: relative; height: .6rem; background: #e4e7eb; border-radius: 3px; margin: .35rem 0; max-width: 20rem; }
        .bar span { position: absolute; inset: 0 auto 0 0; border-radius: 3px; background: #1f4e79; }
        .bar i { position: absolute; top: -.2rem; bottom: -.2rem; width: 2px; background: #1f2933; }
        blockquote { margin: .25rem 0 .25rem 1rem; font-style: italic; }
        ul { padding-left: 1.25rem; }
        footer { border-top: 1px solid #cbd2d9; margin-top: 1.5rem; padding-top: .5rem; font-size: .9rem; }
        .screen-only { background: #eef2f7; padding: .5rem .75rem; border-radius: 4px; }
        @media print {
          body { max-width: none; padding: 0; font-size: 11pt; }
          .screen-only { display: none; }
          a { color: inherit; text-decoration: none; }
          @page { margin: 16mm; }
        }
        """;

    /// <summary>The page; <paramref name="pdfLink"/> (when given) is offered on screen for those who want the PDF.</summary>
    public static string Render(StudentReport report, string? pdfLink = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(8_192);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Append(E(report.Heading)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<header><h1>").Append(E(report.Heading)).Append("</h1><p class=\"muted\">").Append(E(report.Subtitle));
        if (report.AssessedAt is { } at)
        {
            html.Append(" · ").Append(E(StudentReports.AssessedLine(at)));
        }

        html.Append("</p></header><main>");
        if (pdfLink is not null)
        {
            html.Append("<p class=\"screen-only\">Print this page from your browser, or <a href=\"").Append(E(pdfLink)).Append("\">download it as a PDF</a>.</p>");
        }

        if (report.NotAssessed is { } notAssessed)
        {
            html.Append("<p>").Append(E(notAssessed)).Append("</p>");
        }
        else
        {
            AppendBody(html, report);
        }

        html.Append("</main><footer class=\"muted\"><p>").Append(E(report.Footer)).Append("</p></footer></body></html>");
        return html.ToString();
    }

    private static void AppendBody(StringBuilder html, StudentReport report)
    {
        bool family = report.Audience == ReportAudience.Family;
        html.Append("<section aria-labelledby=\"summary\"><h2 id=\"summary\">Summary</h2><p>").Append(E(report.Summary)).Append("</p>");
        AppendList(html, family ? "Where they shine" : "Strengths", report.Strengths);
        AppendList(html, family ? "What to practise next" : "Next steps", report.NextSteps);
        html.Append("</section><section aria-labelledby=\"skills\"><h2 id=\"skills\">Skill by skill</h2>");
        foreach (var skill in report.Skills)
        {
            html.Append("<div class=\"skill\"><h3>").Append(E(skill.Title)).Append(" <span class=\"band ").Append(skill.Band).Append("\">")
                .Append(E(skill.BandLabel)).Append("</span></h3>");
            if (skill.Level is { } level)
            {
                html.Append("<div class=\"bar\" aria-hidden=\"true\"><span style=\"width:").Append(Percent(level)).Append("%\"></span>");
                if (skill.ClassAverage is { } average)
                {
                    html.Append("<i style=\"left:").Append(Percent(average)).Append("%\"></i>");
                }

                html.Append("</div><p class=\"muted\">Level ").Append(Number(level)).Append(" of 1");
                if (skill.ClassAverage is { } classAverage)
                {
                    html.Append(" · class average ").Append(Number(classAverage)).Append(" (the dark tick)");
                }

                html.Append("</p>");
            }

            if (skill.Text.Length > 0)
            {
                html.Append("<p>").Append(E(skill.Text)).Append("</p>");
            }

            if (skill.NextStep.Length > 0)
            {
                html.Append("<p><strong>").Append(family ? "Something to try together:" : "Next step:").Append("</strong> ").Append(E(skill.NextStep)).Append("</p>");
            }

            if (skill.Evidence.Count > 0)
            {
                html.Append("<ul>");
                foreach (var item in skill.Evidence)
                {
                    html.Append("<li><span class=\"muted\">").Append(E(item.Source)).Append(" · ").Append(E(item.Direction)).Append(":</span> ").Append(E(item.Description));
                    if (item.Quote is { } quote)
                    {
                        html.Append("<blockquote>\u201c").Append(E(quote)).Append("\u201d</blockquote>");
                    }

                    html.Append("</li>");
                }

                html.Append("</ul>");
            }

            html.Append("</div>");
        }

        html.Append("</section>");
    }

    private static void AppendList(StringBuilder html, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        html.Append("<h3>").Append(E(title)).Append("</h3><ul>");
        foreach (string item in items)
        {
            html.Append("<li>").Append(E(item)).Append("</li>");
        }

        html.Append("</ul>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double value) => (Math.Clamp(value, 0, 1) * 100).ToString("0.#", CultureInfo.InvariantCulture);
}
