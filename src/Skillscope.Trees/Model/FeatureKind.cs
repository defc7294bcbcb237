namespace Skillscope.Trees.Model;

/// <summary>A feature's type as XGBoost records it in <c>feature_types</c>.</summary>
public enum FeatureKind
{
    /// <summary><c>float</c> (or no type recorded).</summary>
    Numerical,

    /// <summary><c>int</c>.</summary>
    Integral,

    /// <summary><c>i</c>: a 0/1 indicator.</summary>
    Indicator,

    /// <summary><c>q</c>: quantitative.</summary>
    Quantitative,

    /// <summary><c>c</c>: categorical; the value is a category code.</summary>
    Categorical,
}
