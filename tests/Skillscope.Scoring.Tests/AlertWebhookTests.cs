using Skillscope.Scoring.Alerts;
using Xunit;

namespace Skillscope.Scoring.Tests;

/// <summary>A webhook URL is shown masked: enough to tell two apart, never enough to post to.</summary>
public sealed class AlertWebhookTests
{
    [Theory]
    [InlineData("https://hooks.example.com/services/T01/B02/xq7Lm2Rt8VbN4kWp", "https://hooks.example.com/…4kWp")]
    [InlineData("https://ops.example.org:8443/hooks/skillscope?token=abcdef123456", "https://ops.example.org:8443/…3456")]
    [InlineData("http://127.0.0.1:5000/hook", "http://127.0.0.1:5000/…")]
    [InlineData("https://ops.example.org/hooks/skillscope", "https://ops.example.org/…")]   // too short to show any of it
    [InlineData("https://ops.example.org", "https://ops.example.org/…")]
    [InlineData("not a url", "…")]
    public void A_url_keeps_its_scheme_host_and_port_and_at_most_four_characters_of_a_long_path(string url, string masked)
    {
        Assert.Equal(masked, AlertWebhook.Masked(url));
        Assert.True(AlertWebhook.IsMasked(masked));
        Assert.False(AlertWebhook.IsMasked(url));

        // Masking is stable: what is read back and masked again is what was shown.
        Assert.Equal(masked, AlertWebhook.Masked(masked));
    }
}
