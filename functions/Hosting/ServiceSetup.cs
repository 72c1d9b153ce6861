using Partnership.Functions.Budgets;
using Partnership.Functions.Decisions;
using Partnership.Functions.Documents;
using Partnership.Functions.Engine;
using Partnership.Functions.Funds;
using Partnership.Functions.Governance;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Functions.Organisations;
using Partnership.Functions.Workflow;

namespace Partnership.Functions.Hosting;

public static class ServiceSetup
{
    /// <summary>
    /// What the bids need wherever they run: storage, stores, the notification channels, documents, and the effect
    /// handlers their activities call. The web app adds its endpoints and the engine; the Functions app its triggers.
    /// </summary>
    public static IServiceCollection AddPartnershipServices(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DecisionLinkOptions>().Bind(configuration.GetSection(DecisionLinkOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StorageCalls>();
        services.AddSingleton<StorageAccount>();
        services.AddSingleton<AnswerSignals>();
        services.AddSingleton<Storage>();
        services.AddSingleton(_ => BankHolidays.EnglandAndWales());
        services.AddSingleton<FundStore>();
        services.AddSingleton<InterestStore>();
        services.AddSingleton<MeetingAgenda>();
        services.AddSingleton<MeetingRecords>();
        services.AddSingleton<BudgetLedger>();
        services.AddSingleton<OrganisationStore>();
        services.AddSingleton<OrganisationRegistration>();
        services.AddSingleton<OrganisationMembers>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<BidRepository>();
        services.AddSingleton<BidIndexProjection>();
        services.AddSingleton<BidPrecheck>();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailWebhookOptions>().Bind(configuration.GetSection(EmailWebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OpenData.OpenDataOptions>().Bind(configuration.GetSection(OpenData.OpenDataOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OpenData.ThreeSixtyGiving>();
        services.AddSingleton<MessageRenderer>();
        services.AddSingleton<NotificationComposer>();
        services.AddSingleton<MessageLog>();
        services.AddSingleton<PreferenceStore>();
        services.AddSingleton<DigestStore>();
        services.AddSingleton<DigestSender>();
        services.AddSingleton<Outcomes.OutcomeStore>();
        services.AddSingleton<Outcomes.MeasureReminderSender>();
        services.AddOptions<DigestOptions>().Bind(configuration.GetSection(DigestOptions.Section))
            .Validate(o => Cronos.CronExpression.TryParse(o.Schedule, out _), "Digest:Schedule must be a five-field cron expression.").ValidateOnStart();
        services.AddSingleton<INotificationSender, NotificationDelivery>();
        if (string.IsNullOrWhiteSpace(configuration[$"{EmailOptions.Section}:SendGridApiKey"]))
        {
            services.AddSingleton<IEmailChannel, LocalEmailChannel>();
        }
        else
        {
            services.AddSingleton<IEmailChannel, SendGridEmailChannel>();
        }

        services.AddOptions<TeamsOptions>().Bind(configuration.GetSection(TeamsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TeamsLinks>();
        var teams = configuration.GetSection(TeamsOptions.Section).Get<TeamsOptions>() ?? new TeamsOptions();
        if (teams.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(teams.TenantId) || string.IsNullOrWhiteSpace(teams.ClientId) || string.IsNullOrWhiteSpace(teams.ClientSecret))
            {
                throw new InvalidOperationException("Teams:TeamsAppId is set, so Teams:TenantId, Teams:ClientId and Teams:ClientSecret must be too (the app registration granted TeamsActivity.Send).");
            }

            services.AddKeyedSingleton<Azure.Core.TokenCredential>(GraphTeamsChannel.CredentialKey, new Azure.Identity.ClientSecretCredential(teams.TenantId, teams.ClientId, teams.ClientSecret));
            services.AddSingleton<ITeamsChannel, GraphTeamsChannel>();
        }
        else
        {
            services.AddSingleton<ITeamsChannel, LocalTeamsChannel>();
        }
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<IEffectHandler, NotifyHandler>();
        services.AddSingleton<IEffectHandler, GrantAgreementMaker>();
        services.AddSingleton<IEffectHandler, TransferFundingHandler>();
        services.AddSingleton<EffectDispatcher>();
        services.AddSingleton<DecisionLinks>();
        services.AddSingleton<DecisionContext>();
        services.AddSingleton<ReplyAddresses>();
        return services;
    }
}
