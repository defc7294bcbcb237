namespace Skillscope.Assessment.Tests;

/// <summary>Finds a file of the repository's docs/ folder from the test's output directory.</summary>
internal static class Docs
{
    public static string Find(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"docs/{name} not found above the test directory");
    }
}
