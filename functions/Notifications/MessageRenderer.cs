using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fluid;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;

namespace Partnership.Functions.Notifications;

/// <summary>A message as sent: its subject, both email parts, and the one sentence of what is asked (a Teams preview).</summary>
public sealed record RenderedMessage(string Subject, string Html, string Text, string Ask);

/// <summary>What a message template can use; names reach the templates in snake case (<c>bid.deferred_until</c>).</summary>
public sealed record MessageModel(string Recipient, BidModel Bid, string? Due, string? ActionUrl, string BidUrl)
{
    public string Subject { get; init; } = "";

    public string Ask { get; init; } = "";

    /// <summary>The approver's own reply address, where they may decide by answering the email.</summary>
    public string? ReplyTo { get; init; }
}

/// <summary>A coordinator's daily digest: every update held for them, oldest first.</summary>
public sealed record DigestModel(string Recipient, string Subject, IReadOnlyList<DigestEntry> Items);

public sealed record DigestEntry(string Subject, string Ask, string BidTitle, string BidUrl, string When);

/// <summary>An invitation to join an organisation's people on the service.</summary>
public sealed record InvitationModel(string Recipient, string Subject, string Inviter, string Organisation, string SignInUrl, bool AlreadyMember);

public sealed record SignInLinkModel(string Recipient, string Subject, string SignInUrl, bool IsNew);

/// <summary>A reminder about an outcome measure's quarterly figure: to its lead, or (escalated) to those who chase it.</summary>
public sealed record MeasureReminderModel(string Recipient, string Subject, string Measure, string Quarter, string DueOn, int DaysLate, bool ToLead, string Leads, string MeasureUrl);

public sealed record BidModel(
    string Id,
    string Title,
    string Organisation,
    string Requested,
    string? Recommended,
    string? Approved,
    string? Conditions,
    string? Changes,
    string? Outcome,
    string? DeferredUntil)
{
    /// <summary>What the body deciding now is asked to agree (from version 4), where a motion is before it.</summary>
    public string? Motion { get; init; }
}

/// <summary>
/// Renders every message from Liquid templates (Fluid): a subject and a sentence of what is asked per message, in one
/// HTML layout and one plain-text layout. Values are HTML-encoded in the HTML part by the engine, not by hand.
/// </summary>
public sealed class MessageRenderer
{
    private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");
    private readonly FluidParser _parser = new();
    private readonly TemplateOptions _options = new();
    private readonly Dictionary<string, (IFluidTemplate Subject, IFluidTemplate Ask)> _messages = [];
    private readonly ConcurrentDictionary<string, IFluidTemplate> _layouts = new();

    public MessageRenderer()
    {
        _options.MemberAccessStrategy.MemberNameStrategy = MemberNameStrategies.SnakeCase;
        _options.MemberAccessStrategy.Register<MessageModel>();
        _options.MemberAccessStrategy.Register<BidModel>();
        _options.MemberAccessStrategy.Register<DigestModel>();
        _options.MemberAccessStrategy.Register<DigestEntry>();
        _options.MemberAccessStrategy.Register<InvitationModel>();
        _options.MemberAccessStrategy.Register<SignInLinkModel>();
        _options.MemberAccessStrategy.Register<MeasureReminderModel>();
        using var document = JsonDocument.Parse(Resource("messages.json"));
        foreach (var message in document.RootElement.EnumerateObject())
        {
            _messages[message.Name] = (Parse(message.Value.GetProperty("subject").GetString()!), Parse(message.Value.GetProperty("ask").GetString()!));
        }
    }

    public IReadOnlyCollection<string> Templates => _messages.Keys;

    public async Task<RenderedMessage> RenderAsync(string template, MessageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!_messages.TryGetValue(template, out var message))
        {
            throw new InvalidOperationException($"There is no message template '{template}'.");
        }

        var subject = await message.Subject.RenderAsync(new TemplateContext(model, _options), NullEncoder.Default);
        var ask = await message.Ask.RenderAsync(new TemplateContext(model, _options), NullEncoder.Default);
        var filled = model with { Subject = subject, Ask = ask };
        var html = await Layout("email.html.liquid").RenderAsync(new TemplateContext(filled, _options), HtmlEncoder.Default);
        var text = await Layout("email.txt.liquid").RenderAsync(new TemplateContext(filled, _options), NullEncoder.Default);
        return new RenderedMessage(subject, html, text, ask);
    }

    public async Task<RenderedMessage> RenderDigestAsync(string recipient, DateTimeOffset date, IReadOnlyList<DigestItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var subject = string.Create(British, $"Partnership Funds digest for {date:dddd d MMMM yyyy}: {items.Count} {(items.Count == 1 ? "update" : "updates")}");
        var model = new DigestModel(
            recipient, subject,
            [.. items.OrderBy(i => i.RecordedAt).Select(i => new DigestEntry(i.Subject, i.Ask, i.BidTitle, i.BidUrl, TimeZoneInfo.ConvertTime(i.RecordedAt, UkTime.Zone).ToString("h:mm tt 'on' ddd d MMM", British)))]);
        var html = await Layout("digest.html.liquid").RenderAsync(new TemplateContext(model, _options), HtmlEncoder.Default);
        var text = await Layout("digest.txt.liquid").RenderAsync(new TemplateContext(model, _options), NullEncoder.Default);
        return new RenderedMessage(subject, html, text, subject);
    }

    /// <summary>An invitation; to someone who already acts for another organisation, it says how to choose which.</summary>
    public async Task<RenderedMessage> RenderInvitationAsync(string recipient, string inviter, string organisation, string signInUrl, bool alreadyMember)
    {
        var model = new InvitationModel(recipient, $"You have been added to {organisation} on Partnership Funds", inviter, organisation, signInUrl, alreadyMember);
        var html = await Layout("invitation.html.liquid").RenderAsync(new TemplateContext(model, _options), HtmlEncoder.Default);
        var text = await Layout("invitation.txt.liquid").RenderAsync(new TemplateContext(model, _options), NullEncoder.Default);
        return new RenderedMessage(model.Subject, html, text, model.Subject);
    }

    /// <summary>A sign-in link; to an address nobody has yet, it says that opening it starts an account.</summary>
    public async Task<RenderedMessage> RenderSignInLinkAsync(string? recipient, string signInUrl, bool isNew)
    {
        var model = new SignInLinkModel(recipient ?? "there", "Your sign-in link for Partnership Funds", signInUrl, isNew);
        var html = await Layout("sign-in-link.html.liquid").RenderAsync(new TemplateContext(model, _options), HtmlEncoder.Default);
        var text = await Layout("sign-in-link.txt.liquid").RenderAsync(new TemplateContext(model, _options), NullEncoder.Default);
        return new RenderedMessage(model.Subject, html, text, model.Subject);
    }

    public async Task<RenderedMessage> RenderMeasureReminderAsync(MeasureReminderModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = await Layout("measure-reminder.html.liquid").RenderAsync(new TemplateContext(model, _options), HtmlEncoder.Default);
        var text = await Layout("measure-reminder.txt.liquid").RenderAsync(new TemplateContext(model, _options), NullEncoder.Default);
        return new RenderedMessage(model.Subject, html, text, model.Subject);
    }

    /// <summary>The model for one recipient of one notification about a bid.</summary>
    public static MessageModel Model(BidState bid, string organisation, string recipient, Notify notify, string? actionUrl, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(bid);
        ArgumentNullException.ThrowIfNull(notify);
        return new MessageModel(
            recipient,
            new BidModel(
                bid.BidId, bid.Proposal.Title, organisation, Pounds(bid.Proposal.Requested),
                bid.Recommendation?.Amount is { } recommended ? Pounds(recommended) : null,
                bid.ApprovedAmount is { } approved ? Pounds(approved) : null,
                bid.Recommendation?.Conditions, bid.ChangesRequested, bid.OutcomeReason,
                bid.Recommendation?.DeferredUntil?.ToString("d MMMM yyyy", British))
            {
                Motion = bid.PendingMotion is { Status: Partnership.Workflows.Decisions.MotionStatus.Open } motion ? motion.Terms.Describe() : null,
            },
            notify.RespondBy is { } by ? TimeZoneInfo.ConvertTime(by, UkTime.Zone).ToString("h:mm tt 'on' dddd d MMMM yyyy", British) : null,
            actionUrl,
            $"{baseUrl.TrimEnd('/')}/api/bids/{bid.BidId}");
    }

    private static string Pounds(Funding amount) =>
        amount.Capital == 0m ? Money.Pounds(amount.Revenue)
        : amount.Revenue == 0m ? $"{Money.Pounds(amount.Capital)} capital"
        : $"{Money.Pounds(amount.Revenue)} revenue and {Money.Pounds(amount.Capital)} capital";

    private IFluidTemplate Layout(string name) => _layouts.GetOrAdd(name, n => Parse(Resource(n)));

    private IFluidTemplate Parse(string source) =>
        _parser.TryParse(source, out var template, out var error) ? template : throw new InvalidOperationException($"A message template does not parse: {error}");

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Partnership.Functions.Notifications.Templates.{name}")
            ?? throw new InvalidOperationException($"The message template {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
