namespace Skillscope.Assessment.Fusion;

/// <summary>
/// A feature read as a skill-specific indicator, normalised to (0, 1) where 0.5 is typical:
/// <c>z</c>: sigmoid(sign · (value − center) / scale); <c>minmax</c>: (value − center) / scale clipped to
/// [0, 1] (center = minimum, scale = range), flipped when the sign is −1.
/// </summary>
public sealed record Indicator(string Feature, int Sign, string Method, double Center, double Scale)
{
    public const string Z = "z";
    public const string MinMax = "minmax";

    public static Indicator ZScore(string feature, int sign, double center, double scale) => new(feature, sign, Z, center, scale);

    public static Indicator Share(string feature, int sign) => new(feature, sign, MinMax, 0, 1);

    public double Normalise(double value)
    {
        if (Method == MinMax)
        {
            double share = Math.Clamp((value - Center) / Scale, 0, 1);
            return Sign > 0 ? share : 1 - share;
        }

        return 1 / (1 + Math.Exp(-Sign * (value - Center) / Scale));
    }
}
