using Skillscope.Assessment.Synthetic;

namespace Skillscope.Cli.Demo;

/// <summary>
/// Seeded synthetic CRM leads with a conversion process a sales team would recognise: intent signals
/// (a demo request, trial use, pricing-page visits) matter most, engagement helps with diminishing
/// returns, fit (company size, industry, region) sets the ceiling, silence decays everything, and
/// reaching a decision maker with a known budget multiplies the effect of a demo. About one lead in
/// eight converts. Some firmographics are unknown (missing), as in real CRMs.
/// </summary>
internal sealed class LeadGenerator(int seed)
{
    public static readonly string[] FeatureNames =
    [
        "source", "company_employees", "industry_fit", "region_tier", "pages_viewed", "pricing_page_visits",
        "email_opens", "email_clicks", "demo_requested", "trial_active", "sales_touches", "decision_maker_contacted",
        "budget_known", "days_since_first_touch", "days_since_last_activity",
    ];

    private readonly Random _random = new(seed);

    /// <summary><paramref name="count"/> leads: ids, features (row-major, NaN for unknown) and whether each converted.</summary>
    public (string[] Ids, float[] Features, float[] Converted) Generate(int count)
    {
        int width = FeatureNames.Length;
        var ids = new string[count];
        var features = new float[count * width];
        var converted = new float[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = $"lead-{i + 1:D6}";
            var row = features.AsSpan(i * width, width);
            converted[i] = Lead(row) ? 1 : 0;
        }

        return (ids, features, converted);
    }

    private bool Lead(Span<float> row)
    {
        // 0 web form, 1 referral, 2 event, 3 paid ads, 4 cold outreach.
        int source = Pick([0.35, 0.12, 0.10, 0.28, 0.15]);
        double employees = Math.Exp(Normal(4.0, 1.5));
        double industryFit = Math.Clamp(Beta(2.5, 2.0), 0, 1);
        int regionTier = 1 + Pick([0.5, 0.3, 0.2]);
        double interest = Normal(0, 1) + (source == 1 ? 0.8 : source == 2 ? 0.4 : source == 4 ? -0.6 : 0);
        int pages = Poisson(Math.Exp(1.6 + (0.45 * interest)));
        int pricing = Poisson(Math.Exp(-0.6 + (0.7 * interest)));
        int opens = Poisson(Math.Exp(1.2 + (0.3 * interest)));
        int clicks = Binomial(opens, Sigmoid(-1.6 + (0.6 * interest)));
        bool demo = _random.NextDouble() < Sigmoid(-2.2 + (1.1 * interest) + (0.4 * pricing));
        bool trial = _random.NextDouble() < Sigmoid(-2.5 + (0.9 * interest) + (demo ? 0.8 : 0));
        int touches = Poisson(demo ? 4.5 : 2.0);
        bool decisionMaker = _random.NextDouble() < Sigmoid(-1.0 + (0.25 * touches) + (employees < 50 ? 0.8 : 0));
        bool budget = _random.NextDouble() < Sigmoid(-1.2 + (decisionMaker ? 1.2 : 0) + (demo ? 0.5 : 0));
        double sinceFirst = Math.Round(Math.Exp(Normal(3.3, 0.8)));
        double sinceLast = Math.Round(Math.Min(sinceFirst, Math.Exp(Normal(1.8 - (0.3 * interest), 1.0))));

        double logit = -4.0
            + (1.3 * (demo ? 1 : 0)) + (1.0 * (trial ? 1 : 0)) + (0.35 * double.LogP1(pricing))
            + (0.25 * double.LogP1(pages)) + (0.4 * double.LogP1(clicks))
            + (1.4 * (industryFit - 0.5)) - (0.25 * (regionTier - 1))
            + (0.3 * double.LogP1(touches)) - (0.12 * Math.Max(0, touches - 8))
            + (demo && decisionMaker ? 0.9 : 0) + (budget ? 0.5 : 0) + (demo && budget ? 0.4 : 0)
            - (0.035 * sinceLast) - (employees > 5000 ? 0.5 : 0) + (source == 1 ? 0.4 : 0);
        bool converts = _random.NextDouble() < Sigmoid(logit);

        row[0] = source;
        row[1] = _random.NextDouble() < 0.12 ? float.NaN : (float)Math.Round(employees);
        row[2] = _random.NextDouble() < 0.08 ? float.NaN : (float)Math.Round(industryFit, 3);
        row[3] = regionTier;
        row[4] = pages;
        row[5] = pricing;
        row[6] = opens;
        row[7] = clicks;
        row[8] = demo ? 1 : 0;
        row[9] = trial ? 1 : 0;
        row[10] = touches;
        row[11] = decisionMaker ? 1 : 0;
        row[12] = _random.NextDouble() < 0.2 ? float.NaN : budget ? 1 : 0;
        row[13] = (float)sinceFirst;
        row[14] = (float)sinceLast;
        return converts;
    }

    private static double Sigmoid(double x) => RandomDraws.Sigmoid(x);

    private double Normal(double mean, double sd) => RandomDraws.Normal(_random, mean, sd);

    private int Poisson(double lambda) => RandomDraws.Poisson(_random, lambda);

    private int Binomial(int n, double p)
    {
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            k += _random.NextDouble() < p ? 1 : 0;
        }

        return k;
    }

    private double Beta(double a, double b)
    {
        double x = Gamma(a), y = Gamma(b);
        return x / (x + y);
    }

    // Marsaglia–Tsang, shape ≥ 1.
    private double Gamma(double shape)
    {
        double d = shape - (1.0 / 3), c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x = Normal(0, 1), v = Math.Pow(1 + (c * x), 3);
            if (v > 0 && Math.Log(1 - _random.NextDouble()) < (0.5 * x * x) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    private int Pick(double[] weights)
    {
        double u = _random.NextDouble();
        for (int i = 0; i < weights.Length - 1; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
