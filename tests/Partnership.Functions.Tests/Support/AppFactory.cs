using System.Collections.Immutable;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Time.Testing;
using Partnership.Functions.Budgets;
using Partnership.Functions.Funds;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Organisations;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;

namespace Partnership.Functions.Tests.Support;

/// <summary>
/// The app in the Testing environment (or the one named) against the shared Azurite, with its own tables, container and task hub (a
/// fresh prefix), a fake clock, and the digest left for tests to send.
/// </summary>
/// <remarks>
/// <paramref name="prefix"/> takes over the storage another factory left (see <paramref name="keepStorage"/>), as a
/// new deployment takes over the data of the one before it.
/// </remarks>
public sealed class AppFactory(
    AzuriteFixture azurite,
    Action<IServiceCollection>? services = null,
    IDictionary<string, string>? settings = null,
    string? prefix = null,
    bool keepStorage = false,
    string environment = "Testing") : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public const string Fund = "partnership-fund";
    public const string Organisation = "kids-can-achieve";
    public const string Line = "2010-11-laa-reward-grant";

    public FakeTimeProvider Clock { get; } = new(Start);

    public string Prefix { get; } = prefix ?? "t" + Guid.NewGuid().ToString("N")[..12];

    public static string SigningKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Storage:ConnectionString", azurite.ConnectionString);
        builder.UseSetting("Storage:Prefix", Prefix);
        builder.UseSetting("Schedule:RunHere", "false");

        // Azurite, one Node process serving every test at once, can pause for seconds on two cores.
        builder.UseSetting("Storage:RequestTimeout", "00:00:10");
        foreach (var (key, value) in EngineSettings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Decisions:SigningKey", SigningKey);
        builder.UseSetting("Decisions:BaseUrl", "http://localhost");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        // The app logs each endpoint it runs; on the console that buries a failing test's own message in CI's output.
        builder.ConfigureLogging(l => l.AddFilter<ConsoleLoggerProvider>("Microsoft.AspNetCore", LogLevel.Warning));
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            services?.Invoke(s);
        });
    }

    /// <summary>
    /// The engine as the tests run it: one partition, quick to look for work and to retry, patient for answers.
    /// Leases and message visibility keep their production lengths: an app here is always stopped gracefully, and
    /// short ones make a busy machine's slow step look like a dead worker, whose messages are then taken twice.
    /// </summary>
    public static IReadOnlyDictionary<string, string> EngineSettings { get; } = new Dictionary<string, string>
    {
        ["Engine:PartitionCount"] = "1",
        ["Engine:MaxQueuePollingInterval"] = "00:00:00.100",
        ["Engine:EffectFirstRetry"] = "00:00:00.010",
        ["Engine:AnswerWait"] = "00:00:30",
    };

    /// <summary>Stops the app, then deletes its tables, container and task hub, so Azurite's memory does not grow with every test.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (keepStorage)
        {
            return;
        }

        var tables = new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(Prefix) >= 0 && t.Name.CompareTo(Prefix + "~") < 0))
        {
            await tables.DeleteTableAsync(table.Name);
        }

        var queues = new Azure.Storage.Queues.QueueServiceClient(azurite.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: Prefix))
        {
            await queues.DeleteQueueAsync(queue.Name);
        }

        var blobs = new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: Prefix))
        {
            await blobs.DeleteBlobContainerAsync(container.Name);
        }
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A client signed in as <paramref name="userId"/> by the development sign-in; a browser's view of redirects unless told to stop at them.</summary>
    public HttpClient ClientFor(string? userId, bool followRedirects = true)
    {
        var client = followRedirects ? CreateClient() : CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        if (userId is not null)
        {
            client.DefaultRequestHeaders.Add(DevelopmentSignInHandler.Header, userId);
        }

        return client;
    }

    /// <summary>A fund with the default deadlines, one person in each role and two applicant organisations.</summary>
    public async Task SeedAsync()
    {
        _ = Services;
        await Get<Storage>().EnsureCreatedAsync(CancellationToken.None);
        await Get<FundStore>().SaveAsync(new Fund(Fund, "Partnership Fund", "Test fund", FundDeadlines.Defaults), CancellationToken.None);
        var users = Get<UserDirectory>();
        foreach (var user in Users)
        {
            await users.SaveAsync(user, CancellationToken.None);
        }

        await Get<BudgetLedger>().AddLineAsync(new BudgetLine(Line, Fund, "2010/11 LAA Reward Grant", "2010/11", new Funding(250_000m, 100_000m), [], ImmutableDictionary<string, Funding>.Empty), CancellationToken.None);
        var organisations = Get<OrganisationStore>();
        await organisations.AddAsync(new Organisation(Organisation, "Kids Can Achieve", "1090000", "office@kca.example.org", null), CancellationToken.None);
        await organisations.AddAsync(new Organisation("other-org", "Another Organisation", null, "office@other.example.org", null), CancellationToken.None);
    }

    public static IReadOnlyList<AppUser> Users { get; } =
    [
        new("applicant-kca", "Kids Can Achieve applicant", "bids@kca.example.org", Role.Applicant, Organisation),
        new("applicant-other", "Other applicant", "bids@other.example.org", Role.Applicant, "other-org"),
        new("applicant-new", "Unregistered applicant", "new@example.org", Role.Applicant, null),
        new("coordinator", "Coordinator", "coordinator@example.org", Role.Coordinator, null),
        new("hce", "HCE member", "hce@example.org", Role.HceMember, null),
        new("hce-2", "Second HCE member", "hce2@example.org", Role.HceMember, null),
        new("board-chair", "Board chair", "chair@example.org", Role.BoardMember, null, IsChair: true),
        new("board", "Board member", "board@example.org", Role.BoardMember, null),
        new("finance", "Finance officer", "finance@example.org", Role.FinanceOfficer, null),
        new("auditor", "Auditor", "auditor@example.org", Role.Auditor, null),
        new("lead", "Outcome lead", "lead@example.org", Role.OutcomeLead, null),
    ];

    /// <summary>Who to sign in as to hold each role.</summary>
    public static string UserFor(Role role) => role switch
    {
        Role.Applicant => "applicant-kca",
        Role.Coordinator => "coordinator",
        Role.HceMember => "hce",
        Role.BoardMember => "board",
        Role.FinanceOfficer => "finance",
        Role.Auditor => "auditor",
        Role.OutcomeLead => "lead",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}

public static class HttpExtensions
{
    /// <summary>Posts a command with a new Idempotency-Key unless one is given.</summary>
    public static Task<HttpResponseMessage> CommandAsync(this HttpClient client, string url, object? body = null, string? key = null, HttpMethod? method = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var request = new HttpRequestMessage(method ?? HttpMethod.Post, url) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> Ok(this Task<HttpResponseMessage> response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var message = await response;
        if (!message.IsSuccessStatusCode)
        {
            throw new Xunit.Sdk.XunitException($"{message.RequestMessage?.Method} {message.RequestMessage?.RequestUri} answered {(int)message.StatusCode}: {await message.Content.ReadAsStringAsync()}");
        }

        return message;
    }
}
