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
    [InlineData("my brother Kwame helped me", "my brother [name] helped me")]
    [InlineData("Kwame, my brother, helped", "[name], my brother, helped")]
    [InlineData("at my aunt Rosa's house", "at my aunt [name]'s house")]
    [InlineData("our neighbour Mr Diallo and Grandma Lucia Ferreira", "our neighbour Mr [name] and Grandma [name] [name]")]
    [InlineData("my friend named Zoe from camp", "my friend named [name] from camp")]
    [InlineData("Yesterday, my brother helped and my Mom said so", "Yesterday, my brother helped and my Mom said so")]
    [InlineData("see https://example.org/maya?x=1. Or www.mayas.net", "see [url]. Or [url]")]
    [InlineData("my blog is mayasblog.com/about!", "my blog is [url]!")]
    [InlineData("write to maya.okafor@ or @home.example.org, I'm @maya_o", "write to [email] or [email], I'm [handle]")]
    [InlineData("I live at 42 Maple Street, Apt 5 near 1600 Pennsylvania Avenue NW", "I live at [address] near [address]")]
    [InlineData("12b Oak Ave. and 7 Elm Rd, Springfield, IL 62704", "[address]. and [address]")]
    [InlineData("PO Box 123 or SW1A 1AA", "[address] or [address]")]
    [InlineData("I ran 5 laps down the road and got 3.5 out of 4", "I ran 5 laps down the road and got 3.5 out of 4")]
    public void Personal_data_is_replaced_and_nothing_else(string text, string expected) => Assert.Equal(expected, _redactor.Redact(text));

    [Fact]
    public void Titles_and_initials_are_not_names() =>
        Assert.Equal("Ms smith and J went", new Redactor(["Ms J"]).Redact("Ms smith and J went"));
}
