namespace Skillscope.Server; internal static class Probe { }
