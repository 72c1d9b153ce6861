using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Partnership.Functions.Bids;
using Partnership.Functions.Budgets;
using Partnership.Functions.Decisions;
using Partnership.Functions.Documents;
using Partnership.Functions.Engine;
using Partnership.Functions.Funds;
using Partnership.Functions.Governance;
using Partnership.Functions.Http;
using Partnership.Functions.Grants;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Functions.Organisations;
using Partnership.Functions.OpenData;
using Partnership.Functions.Outcomes;
using Partnership.Functions.Papers;
using Partnership.Functions.Reports;
using Partnership.Functions.Seeding;
using Partnership.Functions.Workflow;
using Partnership.Workflows;

namespace Partnership.Functions.Hosting;

public static class AppSetup
{
    public static WebApplicationBuilder AddPartnershipFunctions(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Request paths carry decision-link tokens and the inbound secret, which the hosting log writes at Information
        // and routing and the server at Debug, and pages their handlers' arguments at Trace; endpoints are logged by their
        // route pattern instead, which holds neither.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Mvc", LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Information);

        // Durable Task logs each message and history read at Information; warnings and failures are what matter here.
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);

        var services = builder.Services;
        var maxDocument = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.MaxDocumentBytes ?? new StorageOptions().MaxDocumentBytes;
        services.Configure<FormOptions>(o =>
        {
            o.MultipartBodyLengthLimit = Math.Max(maxDocument + BodyLimit.Json, InboundReplies.MaxBodyBytes);
            o.ValueLengthLimit = 1024 * 1024;
        });
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = BodyLimit.Json);

        services.AddPartnershipServices(builder.Configuration);
        services.AddSingleton<BidCommandService>();
        services.AddSingleton<DocumentUploads>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<OutcomeSeeder>();
        services.AddSingleton<ReportBuilder>();
        services.AddSingleton<PaperFigures>();
        services.AddSingleton<PaperStore>();
        services.AddSingleton<PaperMaker>();
        services.AddSingleton<OutcomeFramework>();
        services.AddOptions<PaperOptions>().Bind(builder.Configuration.GetSection(PaperOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddHostedService<StorageInitializer>();
        services.AddDurableEngine(builder.Configuration);
        if (builder.Configuration.GetValue("Seed:Demo", false))
        {
            services.AddSingleton<DemoSeedRunner>();
            services.AddHostedService(s => s.GetRequiredService<DemoSeedRunner>());
            services.AddHealthChecks().AddCheck<DemoDataHealthCheck>("demo-data");
        }

        if (builder.Configuration.GetValue("Schedule:RunHere", true))
        {
            services.AddHostedService<MinuteSchedule>();
        }

        services.AddPartnershipSignIn(builder.Configuration, builder.Environment);
        services.AddPartnershipRateLimits(builder.Configuration);
        services.AddPartnershipTelemetry(builder.Configuration);
        var developmentPages = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        // Locally the app is served over plain HTTP on loopback; everywhere else its cookies go only over HTTPS.
        // The security headers say who may frame each page; antiforgery's own SAMEORIGIN would stop Teams framing its pages.
        services.AddAntiforgery(o =>
        {
            o.Cookie.SecurePolicy = developmentPages ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.SuppressXFrameOptionsHeader = true;
        });
        // Pages are UTF-8: only markup needs escaping, so "£" and names with accents reach the page as written.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o =>
        {
            if (!developmentPages)
            {
                o.Conventions.AddFolderRouteModelConvention("/Dev", model => model.Selectors.Clear());
            }
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<RequestErrors>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", timeout: TimeSpan.FromSeconds(3));
        services.ConfigureHttpJsonOptions(o =>
        {
            StrictJson.Configure(o.SerializerOptions);
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, WorkflowJson.Options.TypeInfoResolver!);
        });
        return builder;
    }

    public static WebApplication UsePartnershipFunctions(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestGuards();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "Frontend")),
            RequestPath = "/assets",
        });
        app.UseBidIdOnSpans();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapIdentity();
        app.MapFunds();
        app.MapGovernance();
        app.MapOrganisations();
        app.MapBids();
        app.MapDocuments();
        app.MapGrants();
        app.MapReports();
        app.MapOpenData();
        app.MapPapers();
        app.MapOutcomes();
        app.MapRazorPages();
        app.MapDecisionDocuments();
        app.MapSendGridWebhook();
        app.MapInboundReplies();
        app.MapPreferences();
        app.MapMessages();
        if (app.Environment.IsDevelopment() || app.Environment.IsEnvironment("Testing"))
        {
            app.MapDevelopmentEndpoints();
        }

        return app;
    }
}

/// <summary>Creates the tables and container before anything else runs.</summary>
internal sealed class StorageInitializer(Storage storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class StorageHealthCheck(Storage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.Funds.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "health", cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Azure.RequestFailedException e)
        {
            return HealthCheckResult.Unhealthy("Table Storage did not answer.", e);
        }
    }
}

/// <summary>England and Wales bank holidays, shipped with the app as data (the file names its source).</summary>
public static class BankHolidays
{
    public static WorkingCalendar EnglandAndWales()
    {
        using var stream = EmbeddedData.Open("bank-holidays-england-and-wales.json");
        using var document = JsonDocument.Parse(stream);
        var dates = document.RootElement.GetProperty("dates").EnumerateArray().Select(d => DateOnly.Parse(d.GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        return new WorkingCalendar(dates, UkTime.Zone);
    }
}
