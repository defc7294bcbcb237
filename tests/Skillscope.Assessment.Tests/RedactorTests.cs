using Skillscope.Assessment.Reasoning;
using Xunit;

namespace Skillscope.Assessment.Tests;

public sealed class RedactorTests
{
    private readonly Redactor _redactor = new(["Maya", "Okafor", "Will", "Brown", "Ana Rivera", "Jean-Luc O'Neil", "Ms. Grace Lee"]);

    [Theory]
    [InlineData("Maya and Okafor helped.", "[name] and [name] helped.")]
    [InlineData("maya was there", "[name] was there")]
    [InlineData("I asked Maya's group.", "I asked [name]'s group.")]
    [InlineData("Ms. Rivera said so", "Ms. [name] said so")]
    [InlineData("Jean-Luc and O'Neil", "[name]-[name] and [name]")]
    [InlineData("Will will try, and Grace showed grace.", "[name] will try, and [name] showed grace.")]
    [InlineData("a brown dog; Mr. Brown", "a brown dog; Mr. [name]")]
    [InlineData("mail me at maya.okafor@home.example.org now", "mail me at [email] now")]
    [InlineData("call +1 (555) 123-4567 or 555.123.4567", "call [phone] or [phone]")]
    [InlineData("I got 0.63 and 12 of 20 in 2026, page 145", "I got 0.63 and 12 of 20 in 2026, page 145")]
    [InlineData("Mayan ruins and Okaforian art", "Mayan ruins and Okaforian art")]
    public void Personal_data_is_replaced_and_nothing_else(string text, string expected) => Assert.Equal(expected, _redactor.Redact(text));

    [Fact]
    public void Titles_and_initials_are_not_names() =>
        Assert.Equal("Ms smith and J went", new Redactor(["Ms J"]).Redact("Ms smith and J went"));
}
