using System.Text.Json;
using System.Text.Json.Nodes;
using Skillscope.Trees.Calibration;

namespace Skillscope.Scoring.Packages;

/// <summary>
/// A calibrator fitted on a frozen model's scores (Platt sigmoid or isotonic), applied to the model's
/// probability so that 0.8 means 80%. Saved as <c>{"method":"sigmoid","a":…,"b":…}</c> or
/// <c>{"method":"isotonic","thresholds":[…],"values":[…]}</c>.
/// </summary>
public sealed class ScoreCalibration
{
    private readonly PlattCalibrator? _platt;
    private readonly IsotonicCalibrator? _isotonic;

    public ScoreCalibration(PlattCalibrator platt)
    {
        _platt = platt ?? throw new ArgumentNullException(nameof(platt));
    }

    public ScoreCalibration(IsotonicCalibrator isotonic)
    {
        _isotonic = isotonic ?? throw new ArgumentNullException(nameof(isotonic));
    }

    /// <summary><c>sigmoid</c> or <c>isotonic</c>.</summary>
    public string Method => _platt is not null ? "sigmoid" : "isotonic";

    public double Apply(double score) => _platt?.Calibrate(score) ?? _isotonic!.Calibrate(score);

    public string ToJson()
    {
        var node = _platt is { } platt
            ? new JsonObject { ["method"] = "sigmoid", ["a"] = platt.A, ["b"] = platt.B }
            : new JsonObject
            {
                ["method"] = "isotonic",
                ["thresholds"] = new JsonArray([.. _isotonic!.Thresholds.Select(t => (JsonNode?)t)]),
                ["values"] = new JsonArray([.. _isotonic.Values.Select(v => (JsonNode?)v)]),
            };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <exception cref="PackageException">Not a calibrator this reads.</exception>
    public static ScoreCalibration FromJson(string json)
    {
        try
        {
            var node = JsonNode.Parse(json) as JsonObject ?? throw Invalid("it is not a JSON object");
            string method = node["method"]?.GetValue<string>() ?? throw Invalid("\"method\" is missing");
            switch (method)
            {
                case "sigmoid":
                    double a = Finite(node["a"], "a"), b = Finite(node["b"], "b");
                    return new ScoreCalibration(new PlattCalibrator(a, b));
                case "isotonic":
                    var thresholds = Numbers(node["thresholds"], "thresholds");
                    var values = Numbers(node["values"], "values");
                    if (thresholds.Length == 0 || thresholds.Length != values.Length)
                    {
                        throw Invalid("\"thresholds\" and \"values\" must be non-empty and of equal length");
                    }

                    for (int i = 1; i < thresholds.Length; i++)
                    {
                        if (thresholds[i] < thresholds[i - 1] || values[i] < values[i - 1])
                        {
                            throw Invalid("isotonic thresholds and values must be non-decreasing");
                        }
                    }

                    return new ScoreCalibration(new IsotonicCalibrator(thresholds, values));
                default:
                    throw Invalid($"method \"{method}\" is unknown; use sigmoid or isotonic");
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            throw Invalid(exception.Message);
        }
    }

    private static double Finite(JsonNode? node, string name)
    {
        double value = node?.GetValue<double>() ?? throw Invalid($"\"{name}\" is missing");
        return double.IsFinite(value) ? value : throw Invalid($"\"{name}\" is not finite");
    }

    private static double[] Numbers(JsonNode? node, string name)
    {
        var array = node as JsonArray ?? throw Invalid($"\"{name}\" is not an array");
        var values = new double[array.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Finite(array[i], $"{name}[{i}]");
        }

        return values;
    }

    private static PackageException Invalid(string why) => new("calibrator_invalid", $"the calibrator is not valid: {why}");
}
