namespace Skillscope.Trees.Model;

/// <summary>How an objective maps the summed margin to its output, and <c>base_score</c> to a margin.</summary>
public enum OutputTransform
{
    /// <summary>Output is the margin (regression, ranking, <c>binary:logitraw</c>).</summary>
    Identity,

    /// <summary><c>1 / (1 + exp(-margin))</c> in float32, as XGBoost computes it.</summary>
    Sigmoid,

    /// <summary><c>exp(margin)</c> (Poisson, gamma, Tweedie).</summary>
    Exponential,

    /// <summary><c>margin &gt; 0 ? 1 : 0</c>.</summary>
    Hinge,

    /// <summary>Per-class probabilities (<c>multi:softprob</c>).</summary>
    Softmax,

    /// <summary>The index of the largest margin (<c>multi:softmax</c>).</summary>
    ArgMax,
}

/// <summary>An XGBoost objective: its name and how predictions are transformed.</summary>
/// <param name="Name">The objective name as XGBoost writes it, e.g. <c>binary:logistic</c>.</param>
/// <param name="Transform">The output transform.</param>
public sealed record ModelObjective(string Name, OutputTransform Transform)
{
    /// <summary>Looks up a supported objective; null for an unknown or unsupported one.</summary>
    public static ModelObjective? TryFromName(string name)
    {
        OutputTransform? transform = name switch
        {
            "binary:logistic" or "reg:logistic" => OutputTransform.Sigmoid,
            "binary:logitraw" or "reg:squarederror" or "reg:linear" or "reg:squaredlogerror"
                or "reg:absoluteerror" or "reg:pseudohubererror" or "reg:quantileerror" => OutputTransform.Identity,
            "binary:hinge" => OutputTransform.Hinge,
            "count:poisson" or "reg:gamma" or "reg:tweedie" => OutputTransform.Exponential,
            "multi:softprob" => OutputTransform.Softmax,
            "multi:softmax" => OutputTransform.ArgMax,
            _ when name.StartsWith("rank:", StringComparison.Ordinal) => OutputTransform.Identity,
            _ => null,
        };
        return transform is null ? null : new ModelObjective(name, transform.Value);
    }

    /// <summary>
    /// Converts a <c>base_score</c> (stored in output space) into the margin the trees are added to,
    /// as XGBoost's <c>ProbToMargin</c> does.
    /// </summary>
    public float BaseScoreToMargin(float baseScore) => Transform switch
    {
        OutputTransform.Sigmoid => -MathF.Log((1.0f / Math.Clamp(baseScore, 1e-6f, 1.0f - 1e-6f)) - 1.0f),
        OutputTransform.Exponential => MathF.Log(baseScore),
        _ => baseScore,
    };
}
