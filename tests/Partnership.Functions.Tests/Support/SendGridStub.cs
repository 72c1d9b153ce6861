namespace Partnership.Functions.Tests.Support;

/// <summary>The app sending through the real SendGrid client to a stub, and how to read the mail the stub received.</summary>
public static class SendGridStub
{
    public static AppFactory WithSendGrid(AzuriteFixture azurite, StubServer stub) => new(azurite, settings: new Dictionary<string, string>
    {
        ["Email:SendGridApiKey"] = "SG.test-key",
        ["Email:SendGridHost"] = stub.Address,
        ["Email:FromAddress"] = "grants@harrow-partnership.example.org",
    });

    /// <summary>SendGrid's client puts a single email's subject in its personalization.</summary>
    public static string Subject(StubRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Body.TryGetProperty("subject", out var subject) ? subject.GetString()! : request.Body.GetProperty("personalizations")[0].GetProperty("subject").GetString()!;
    }

    /// <summary>The plain-text part, which SendGrid's client sends first.</summary>
    public static string Text(StubRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Body.GetProperty("content")[0].GetProperty("value").GetString()!;
    }

    public static string Recipient(StubRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Body.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString()!;
    }

    public static List<StubRequest> To(StubServer stub, string email)
    {
        ArgumentNullException.ThrowIfNull(stub);
        return [.. stub.Requests.Where(r => Recipient(r) == email)];
    }
}
