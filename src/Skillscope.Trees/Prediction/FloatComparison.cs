global using FloatComparison = System.Runtime.Intrinsics.X86.FloatComparisonMode;
