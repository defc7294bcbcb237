using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Training;

/// <summary>
/// The students held out of training to judge models on: a share of them by a hash of the id, the same in every
/// run and for <c>train skills --from-db</c>, so no model trained on this database has seen them.
/// </summary>
public static class RetrainHoldout
{
    public const int DefaultPercent = 20;

    public static bool Contains(string studentId, int percent) => TrafficRouter.Bucket("retrain-holdout", studentId) < percent;
}
