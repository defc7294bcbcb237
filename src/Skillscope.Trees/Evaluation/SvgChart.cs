using System.Globalization;
using System.Net;
using System.Text;

namespace Skillscope.Trees.Evaluation;

/// <summary>Small, self-contained SVG charts for the evaluation report: axes, gridlines, lines, bars.</summary>
internal static class SvgChart
{
    private const int Width = 360, Height = 260, Left = 48, Right = 12, Top = 14, Bottom = 40, LegendRow = 15, LegendColumn = 150;

    // Eight colours told apart with the common colour-vision deficiencies (Okabe and Ito's set, the yellow
    // darkened to read on white); from the fifth series on, lines are also dashed (and dotted past eight).
    private static readonly string[] Palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000", "#b59f00"];

    public static string Color(int series) => Palette[series % Palette.Length];

    private static string Dash(int series) => series < 4 ? "" : series < Palette.Length ? " stroke-dasharray=\"6 3\"" : " stroke-dasharray=\"2 2\"";

    /// <summary>Lines over [0,1]×[0,1] (ROC, reliability), with an optional diagonal reference.</summary>
    public static string UnitLines(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> series, bool diagonal)
    {
        var svg = Start(title, series.Count);
        Axes(svg, xLabel, yLabel, 0, 1, 0, 1);
        if (diagonal)
        {
            svg.Append(Invariant($"<line x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(1)}\" y2=\"{Y(1)}\" stroke=\"#9ca3af\" stroke-dasharray=\"4 3\"/>"));
        }

        for (int s = 0; s < series.Count; s++)
        {
            var points = string.Join(' ', series[s].Points.Select(p => Invariant($"{X(p.X):F1},{Y(p.Y):F1}")));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{Color(s)}\" stroke-width=\"2\"{Dash(s)} points=\"{points}\"><title>{Escape(series[s].Name)}</title></polyline>"));
            foreach (var p in series[s].Points.Count <= 25 ? series[s].Points : [])
            {
                svg.Append(Invariant($"<circle cx=\"{X(p.X):F1}\" cy=\"{Y(p.Y):F1}\" r=\"3\" fill=\"{Color(s)}\"/>"));
            }
        }

        Legend(svg, series.Select(s => s.Name).ToList());
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Vertical bars of counts over equal-width bins.</summary>
    public static string Histogram(string title, string xLabel, IReadOnlyList<(string Name, IReadOnlyList<int> Counts)> series, double min, double max)
    {
        var svg = Start(title, series.Count);
        int top = Math.Max(1, series.SelectMany(s => s.Counts).DefaultIfEmpty(1).Max());
        Axes(svg, xLabel, "rows", min, max, 0, top);
        int bins = series[0].Counts.Count;
        double slot = (double)(Width - Left - Right) / bins;
        for (int s = 0; s < series.Count; s++)
        {
            double barWidth = slot / series.Count;
            for (int b = 0; b < bins; b++)
            {
                double height = (double)series[s].Counts[b] / top * (Height - Top - Bottom);
                double x = Left + (b * slot) + (s * barWidth);
                svg.Append(Invariant($"<rect x=\"{x + 0.5:F1}\" y=\"{Height - Bottom - height:F1}\" width=\"{Math.Max(1, barWidth - 1):F1}\" height=\"{height:F1}\" fill=\"{Color(s)}\" opacity=\"0.85\"><title>{series[s].Counts[b]} rows</title></rect>"));
            }
        }

        Legend(svg, series.Select(s => s.Name).ToList());
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Horizontal bars: the largest values first, labelled.</summary>
    public static string Bars(string title, IReadOnlyList<(string Label, double Value)> bars)
    {
        int height = Top + 8 + (bars.Count * 22);
        var svg = new StringBuilder(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-label=\"{Escape(title)}\" font-family=\"system-ui, sans-serif\" font-size=\"11\">"));
        double top = bars.Count == 0 ? 1 : Math.Max(bars.Max(b => b.Value), 1e-12);
        const int LabelWidth = 130;
        for (int i = 0; i < bars.Count; i++)
        {
            double y = Top + (i * 22);
            double width = bars[i].Value / top * (Width - LabelWidth - 60);
            svg.Append(Invariant($"<text x=\"{LabelWidth - 6}\" y=\"{y + 14}\" text-anchor=\"end\" fill=\"#111827\">{Escape(Truncate(bars[i].Label))}</text>"));
            svg.Append(Invariant($"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{Math.Max(1, width):F1}\" height=\"15\" fill=\"{Color(0)}\" rx=\"2\"/>"));
            svg.Append(Invariant($"<text x=\"{LabelWidth + width + 4:F1}\" y=\"{y + 14}\" fill=\"#374151\">{bars[i].Value:G4}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>The chart's frame, tall enough for its legend below the plot (where it covers no line).</summary>
    private static StringBuilder Start(string title, int series)
    {
        int height = Height + LegendHeight(series);
        return new(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-label=\"{Escape(title)}\" font-family=\"system-ui, sans-serif\" font-size=\"11\">"));
    }

    private static int LegendHeight(int series) => series < 2 ? 0 : 4 + ((series + 1) / 2 * LegendRow);

    private static void Axes(StringBuilder svg, string xLabel, string yLabel, double xMin, double xMax, double yMin, double yMax)
    {
        for (int i = 0; i <= 4; i++)
        {
            double fx = i / 4.0, fy = i / 4.0;
            double gx = Left + (fx * (Width - Left - Right)), gy = Height - Bottom - (fy * (Height - Top - Bottom));
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{gy:F1}\" x2=\"{Width - Right}\" y2=\"{gy:F1}\" stroke=\"#e5e7eb\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{gy + 4:F1}\" text-anchor=\"end\" fill=\"#4b5563\">{Tick(yMin + (fy * (yMax - yMin)))}</text>"));
            svg.Append(Invariant($"<text x=\"{gx:F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" fill=\"#4b5563\">{Tick(xMin + (fx * (xMax - xMin)))}</text>"));
        }

        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#6b7280\"/>"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#6b7280\"/>"));
        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\" fill=\"#111827\">{Escape(xLabel)}</text>"));
        svg.Append(Invariant($"<text x=\"12\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" fill=\"#111827\" transform=\"rotate(-90 12 {(Top + Height - Bottom) / 2})\">{Escape(yLabel)}</text>"));
    }

    private static void Legend(StringBuilder svg, List<string> names)
    {
        if (names.Count < 2)
        {
            return;
        }

        // Two columns under the plot, each entry a short line in its series' colour and dash.
        for (int i = 0; i < names.Count; i++)
        {
            double x = Left + ((i % 2) * LegendColumn), y = Height + 4 + ((i / 2) * LegendRow) + 8;
            svg.Append(Invariant($"<line x1=\"{x}\" y1=\"{y - 4}\" x2=\"{x + 16}\" y2=\"{y - 4}\" stroke=\"{Color(i)}\" stroke-width=\"3\"{Dash(i)}/><text x=\"{x + 21}\" y=\"{y}\" fill=\"#111827\">{Escape(Truncate(names[i]))}</text>"));
        }
    }

    private static double X(double fraction) => Left + (fraction * (Width - Left - Right));

    private static double Y(double fraction) => Height - Bottom - (fraction * (Height - Top - Bottom));

    private static string Tick(double value) => Math.Abs(value) >= 1000 ? value.ToString("G3", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Truncate(string text) => text.Length <= 22 ? text : text[..21] + "…";

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
