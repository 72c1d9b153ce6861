using System.Net;
using System.Security.Cryptography;
using System.Text;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

public sealed class EmailWebhookTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ECDsa _sendGrid = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _sendGrid.Dispose();

    private AppFactory App() => new(azurite, settings: new Dictionary<string, string>
    {
        ["EmailWebhook:PublicKey"] = Convert.ToBase64String(_sendGrid.ExportSubjectPublicKeyInfo()),
    });

    /// <summary>Signs as SendGrid does: ECDSA P-256 with SHA-256 over the timestamp followed by the raw body, DER-encoded, base64.</summary>
    private HttpRequestMessage Signed(string body, DateTimeOffset at, ECDsa? key = null)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = (key ?? _sendGrid).SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/sendgrid/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Signature", Convert.ToBase64String(signature));
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
        return request;
    }

    private static string Events(string bidId, string effectId, params (string Id, string Event)[] events) =>
        "[" + string.Join(",", events.Select(e =>
            $$"""{"email":"chair@example.org","timestamp":1795424400,"event":"{{e.Event}}","sg_event_id":"{{e.Id}}","sg_message_id":"m1","reason":"550 5.1.1 mailbox unavailable","bid_id":"{{bidId}}","effect_id":"{{effectId}}","template":"decision-prompt-board"}""")) + "]";

    [Fact]
    public async Task Signed_events_are_recorded_once_on_the_timeline_and_a_bounced_prompt_alerts_the_coordinator()
    {
        await using var app = App();
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        var body = Events(bidId, "fx-00000003-01", ("e1", "delivered"), ("e2", "open"), ("e3", "bounce"), ("e4", "processed"));
        var client = app.CreateClient();

        var first = await client.SendAsync(Signed(body, app.Clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("\"recorded\":3", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await client.SendAsync(Signed(body, app.Clock.GetUtcNow().AddSeconds(30)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var reported = (await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None)).Select(h => h.Event).OfType<DeliveryReported>().ToList();
        Assert.Equal([DeliveryOutcome.Delivered, DeliveryOutcome.Opened, DeliveryOutcome.Bounced], reported.Select(r => r.Outcome));
        Assert.Equal("550 5.1.1 mailbox unavailable", reported[2].Reason);
        await DrainAsync(app);
        Assert.Contains(await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None), m => m.Template == "prompt-undelivered" && m.To == "coordinator");
    }

    [Fact]
    public async Task Unsigned_wrongly_signed_tampered_and_stale_batches_are_refused_and_record_nothing()
    {
        await using var app = App();
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        var before = (await StateAsync(app, bidId)).Version;
        var body = Events(bidId, "fx-00000003-01", ("e1", "bounce"));
        var client = app.CreateClient();
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var unsigned = await client.PostAsync("/webhooks/sendgrid/events", new StringContent(body, Encoding.UTF8, "application/json"));
        var wrongKey = await client.SendAsync(Signed(body, app.Clock.GetUtcNow(), impostor));
        var tampered = Signed(body, app.Clock.GetUtcNow());
        tampered.Content = new StringContent(body.Replace("bounce", "delivered", StringComparison.Ordinal), Encoding.UTF8, "application/json");
        var tamperedResponse = await client.SendAsync(tampered);
        var stale = await client.SendAsync(Signed(body, app.Clock.GetUtcNow().AddMinutes(-11)));

        Assert.All(new[] { unsigned, wrongKey, tamperedResponse, stale }, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Contains("Stale", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await StateAsync(app, bidId)).Version);
    }
}
