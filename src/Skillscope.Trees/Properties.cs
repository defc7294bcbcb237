using System.Runtime.CompilerServices;

// Scoring kernels use stack buffers that are fully written before they are read; zero-filling them on
// every call would cost as much as a small tree walk.
[module: SkipLocalsInit]
