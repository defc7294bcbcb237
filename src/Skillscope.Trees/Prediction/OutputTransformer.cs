using Skillscope.Trees.Model;

namespace Skillscope.Trees.Prediction;

/// <summary>Applies an objective's output transform to margins, with XGBoost's float32 arithmetic.</summary>
internal static class OutputTransformer
{
    /// <summary>
    /// Transforms one row's margins (<paramref name="margins"/>, one per group) into its outputs
    /// (<paramref name="output"/>: one value for arg-max, else one per group). The spans may alias.
    /// </summary>
    public static void TransformRow(OutputTransform transform, ReadOnlySpan<float> margins, Span<float> output)
    {
        switch (transform)
        {
            case OutputTransform.Identity:
                margins.CopyTo(output);
                break;
            case OutputTransform.Sigmoid:
                for (int i = 0; i < margins.Length; i++)
                {
                    output[i] = Sigmoid(margins[i]);
                }

                break;
            case OutputTransform.Exponential:
                for (int i = 0; i < margins.Length; i++)
                {
                    output[i] = MathF.Exp(margins[i]);
                }

                break;
            case OutputTransform.Hinge:
                for (int i = 0; i < margins.Length; i++)
                {
                    output[i] = margins[i] > 0 ? 1.0f : 0.0f;
                }

                break;
            case OutputTransform.Softmax:
                Softmax(margins, output);
                break;
            case OutputTransform.ArgMax:
                output[0] = ArgMax(margins);
                break;
            default:
                throw new InvalidOperationException($"unknown transform {transform}");
        }
    }

    /// <summary>XGBoost's logistic: <c>1 / (expf(min(-x, 88.7)) + 1 + 1e-16)</c>, the 1e-16 vanishing in float32.</summary>
    public static float Sigmoid(float margin) => 1.0f / (MathF.Exp(MathF.Min(-margin, 88.7f)) + 1.0f);

    private static void Softmax(ReadOnlySpan<float> margins, Span<float> output)
    {
        float max = margins[0];
        for (int i = 1; i < margins.Length; i++)
        {
            max = MathF.Max(margins[i], max);
        }

        // XGBoost sums the exponentials in double, then divides in float.
        double sum = 0;
        for (int i = 0; i < margins.Length; i++)
        {
            output[i] = MathF.Exp(margins[i] - max);
            sum += output[i];
        }

        float total = (float)sum;
        for (int i = 0; i < margins.Length; i++)
        {
            output[i] /= total;
        }
    }

    private static float ArgMax(ReadOnlySpan<float> margins)
    {
        int best = 0;
        for (int i = 1; i < margins.Length; i++)
        {
            if (margins[i] > margins[best])
            {
                best = i;
            }
        }

        return best;
    }
}
