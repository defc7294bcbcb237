using Skillscope.Scoring.Packages;
using Skillscope.Trees.Evaluation;

namespace Skillscope.Assessment.Training;

/// <summary>
/// A trained, calibrated and evaluated skill model: its XGBoost file, and the package it makes for a
/// given version (schema of feature set 1, calibrator, metadata with the test metrics).
/// </summary>
public sealed record SkillModel(string Skill, byte[] ModelBytes, Func<string, ModelPackage> PackageFor, ModelEvaluation Evaluation, IReadOnlyDictionary<string, double> Metrics);
