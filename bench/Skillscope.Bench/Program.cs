using BenchmarkDotNet.Running;
using Skillscope.Bench;

// "compare" is the Skillscope half of bench/compare-xgboost, "http-floor" the ceiling of the HTTP
// comparisons, "compiled-path" issue 21's generated-code experiment; anything else goes to BenchmarkDotNet.
return args.Length > 0 && args[0] == "compare" ? CompareRunner.Run(args[1..])
    : args.Length > 0 && args[0] == "http-floor" ? HttpFloor.Run(args[1..])
    : args.Length > 0 && args[0] == "compiled-path" ? CompiledPath.Run(args[1..])
    : RunBenchmarks(args);

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Workload).Assembly).Run(args);
    return 0;
}
