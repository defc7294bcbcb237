using System.Globalization;
using System.Net;
using System.Text;

namespace Skillscope.Trees.Evaluation;

/// <summary>
/// Writes evaluations as a self-contained HTML page (inline SVG charts, no scripts or external files)
/// and as Markdown. One evaluation gives a model report; two or more are compared side by side.
/// </summary>
public static class EvaluationReport
{
    /// <summary>The HTML report.</summary>
    public static string Html(IReadOnlyList<ModelEvaluation> evaluations, string dataName)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        ArgumentOutOfRangeException.ThrowIfZero(evaluations.Count);
        var first = evaluations[0];
        string title = evaluations.Count == 1 ? $"Evaluation of {first.Name}" : $"Comparison: {string.Join(" vs ", evaluations.Select(e => e.Name))}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title><style>{Style}</style></head><body><main>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(title)}</h1><p class=\"meta\">Data: <strong>{E(dataName)}</strong> · {first.RowCount:N0} rows · objective {E(first.Objective)} · written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC</p>");

        // A wide comparison (seven models) scrolls inside the page instead of being cut at its edge.
        html.Append("<section><h2>Metrics</h2><div class=\"scroll\"><table><thead><tr><th scope=\"col\">Metric</th>");
        foreach (var e in evaluations)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{E(e.Name)}<br><span class=\"meta\">calibration: {E(e.Calibration)}</span></th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var (metric, _) in first.Metrics)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(metric)}</th>");
            foreach (var e in evaluations)
            {
                double value = e.Metrics.FirstOrDefault(m => m.Key == metric).Value;
                html.Append(CultureInfo.InvariantCulture, $"<td>{value:0.0000}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></div></section><section class=\"charts\">");
        if (first.IsBinary)
        {
            Figure(html, "ROC curve", SvgChart.UnitLines("ROC curve", "false positive rate", "true positive rate",
                evaluations.Select(e => (e.Name, (IReadOnlyList<(double, double)>)e.Roc.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)).ToList())).ToList(), diagonal: true),
                "Each point is a threshold; the dashed diagonal is a model that guesses.");
            Figure(html, "Calibration", SvgChart.UnitLines("Calibration curve", "mean predicted probability", "observed rate",
                evaluations.Select(e => (e.Name, (IReadOnlyList<(double, double)>)e.Reliability.Select(b => (b.MeanProbability, b.ObservedRate)).ToList())).ToList(), diagonal: true),
                "Ten equal-width bins; on the diagonal a score of 0.8 means 80%.");
        }

        Figure(html, "Score distribution", SvgChart.Histogram("Score histogram", first.IsBinary ? "predicted probability" : "prediction",
            evaluations.Select(e => (e.Name, e.ScoreHistogram)).ToList(), first.ScoreMin, first.ScoreMax), "Rows per score bin.");
        foreach (var e in evaluations)
        {
            Figure(html, evaluations.Count == 1 ? "Feature importance" : $"Feature importance — {e.Name}",
                SvgChart.Bars("Feature importance", e.Importance.Take(12).Select(i => (i.Name, (double)i.Values[0])).ToList()),
                "Total gain: how much each feature's splits reduced the loss, summed over trees (top 12).");
        }

        html.Append("</section></main></body></html>");
        return html.ToString();
    }

    /// <summary>The Markdown report: the metrics table and the top features.</summary>
    public static string Markdown(IReadOnlyList<ModelEvaluation> evaluations, string dataName)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        var first = evaluations[0];
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {(evaluations.Count == 1 ? $"Evaluation of {first.Name}" : "Model comparison")}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Data: {dataName} ({first.RowCount:N0} rows), objective {first.Objective}.");
        md.AppendLine();
        md.AppendLine("| Metric | " + string.Join(" | ", evaluations.Select(e => $"{e.Name} (calibration: {e.Calibration})")) + " |");
        md.AppendLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", evaluations.Count)));
        foreach (var (metric, _) in first.Metrics)
        {
            md.AppendLine($"| {metric} | " + string.Join(" | ", evaluations.Select(e => e.Metrics.FirstOrDefault(m => m.Key == metric).Value.ToString("0.0000", CultureInfo.InvariantCulture))) + " |");
        }

        foreach (var e in evaluations)
        {
            md.AppendLine();
            var top = string.Join(", ", e.Importance.Take(8).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Name} ({i.Values[0]:G4})")));
            md.AppendLine($"Top features of {e.Name} by total gain: {top}.");
        }

        return md.ToString();
    }

    private static void Figure(StringBuilder html, string caption, string svg, string note) =>
        html.Append(CultureInfo.InvariantCulture, $"<figure>{svg}<figcaption><strong>{E(caption)}.</strong> {E(note)}</figcaption></figure>");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style =
        "body{font-family:system-ui,sans-serif;color:#111827;background:#f9fafb;margin:0}main{max-width:1180px;margin:0 auto;padding:24px}" +
        "h1{font-size:1.5rem;margin:0 0 4px}h2{font-size:1.1rem}.meta{color:#4b5563;font-size:.9rem;font-weight:normal}" +
        "table{border-collapse:collapse;background:#fff;box-shadow:0 1px 2px #0001}th,td{padding:6px 14px;border-bottom:1px solid #e5e7eb;text-align:right}" +
        "th[scope=row]{text-align:left;font-weight:500}thead th{text-align:right;background:#f3f4f6}" +
        ".charts{display:flex;flex-wrap:wrap;gap:16px;margin-top:20px}figure{margin:0;background:#fff;padding:12px;box-shadow:0 1px 2px #0001;border-radius:6px}" +
        "figcaption{font-size:.85rem;color:#374151;max-width:360px;margin-top:6px}.scroll{overflow-x:auto;max-width:100%}";
}
