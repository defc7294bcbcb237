namespace Skillscope.Scoring.Packages;

/// <summary>What scoring does with NaN, ±infinity or a value outside a feature's valid range.</summary>
public enum InvalidValuePolicy
{
    /// <summary>Score the value as missing (the tree's default direction), with a warning.</summary>
    Missing,

    /// <summary>Clamp to the valid range (infinities to its ends; NaN becomes missing), with a warning.</summary>
    Clip,

    /// <summary>Refuse the item with an error naming the feature.</summary>
    Reject,
}
