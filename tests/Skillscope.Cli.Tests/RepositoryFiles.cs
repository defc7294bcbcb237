namespace Skillscope.Cli.Tests;

/// <summary>Files of the repository the tests read (the README, the docs, the accessibility checker's package).</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder holding Skillscope.slnx, above the test's own.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Skillscope.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Skillscope.slnx) is not above the test's folder");
    }
}
