namespace Skillscope.Trees.Model;

/// <summary>The kind of booster a model was trained with.</summary>
public enum BoosterKind
{
    /// <summary>Gradient-boosted trees.</summary>
    GbTree,

    /// <summary>Trees with dropout; each tree's output is scaled by its <c>weight_drop</c>.</summary>
    Dart,

    /// <summary>A linear model per output group.</summary>
    GbLinear,
}
