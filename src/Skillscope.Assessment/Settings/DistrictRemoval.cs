namespace Skillscope.Assessment.Settings;

/// <summary>What sending a district back to the installation's document came to.</summary>
public enum DistrictRemoval
{
    Removed,

    /// <summary>It had none of its own: nothing to remove.</summary>
    NoneOfItsOwn,

    /// <summary>Its version is not the one the removal was based on (another change came first); nothing was removed.</summary>
    Conflict,
}
