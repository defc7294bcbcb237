using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>A command line that does not parse: the error first, the nearest valid spelling, exit code 2 (the README's "usage error").</summary>
public sealed class UsageErrorTests
{
    [Fact]
    public void A_missing_argument_is_named_first_with_where_the_help_is_and_exits_2()
    {
        var run = CliRun.Of("import");

        Assert.Equal(2, run.ExitCode);
        string[] lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("'path'", lines[0], StringComparison.Ordinal);
        Assert.Equal("Run 'skillscope import --help' for its usage and options.", lines[^1]);
        Assert.Equal("", run.Output);
    }

    [Theory]
    [InlineData("import x --dta-dir y", "'--dta-dir'", "Did you mean '--data-dir'?", "skillscope import")]
    [InlineData("modles list", "'modles'", "Did you mean 'models'?", "skillscope")]
    [InlineData("models rollback --name m --alais x", "'--alais'", "Did you mean '--alias'?", "skillscope models rollback")]
    public void A_misspelt_option_or_verb_is_answered_with_the_nearest_valid_one(string line, string token, string suggestion, string command)
    {
        var run = CliRun.Of(line.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.Error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal) && l.Contains(token, StringComparison.Ordinal) && l.Contains(suggestion, StringComparison.Ordinal));
        Assert.Contains($"Run '{command} --help'", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train", "--train", "a.csv", "--label", "y")]
    [InlineData("demo", "--students", "abc")]
    public void A_verb_with_subverbs_of_its_own_reports_its_errors_not_just_its_help(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_like_no_option_gets_no_guess()
    {
        var run = CliRun.Of("import", "x", "--zzzzzzzz");

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("Did you mean", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--urls", "http://127.0.0.1:9000", "--port", "9000")]
    [InlineData("--urls", "ftp://127.0.0.1:9000")]
    public void Demo_takes_urls_as_serve_does_or_a_port_but_not_both(params string[] options)
    {
        var run = CliRun.Of(["demo", "--no-serve", .. options]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("--urls", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080")]
    [InlineData("http://+:80;https://+:443", "http://127.0.0.1")]
    [InlineData("https://[::]:8443", "https://127.0.0.1:8443")]
    [InlineData("http://skillscope.school.example:8080", "http://skillscope.school.example:8080")]
    [InlineData("localhost:8080", null)]
    public void The_demo_prints_an_address_a_browser_here_can_open(string urls, string? expected) =>
        Assert.Equal(expected, Demo.SkillsDemo.BrowsableAddress(urls));

    [Theory]
    [InlineData]
    [InlineData("models")]
    public void A_group_of_verbs_named_alone_shows_what_it_offers(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
        Assert.Contains(args.Length == 0 ? "import" : "register", run.Output, StringComparison.Ordinal);
    }
}
