namespace Partnership.Functions.Tests.Support;

/// <summary>The app on a real port the OS picks, as a browser needs.</summary>
public static class BrowserApp
{
    public static AppFactory Served(AzuriteFixture azurite)
    {
        var app = new AppFactory(azurite);
        app.UseKestrel(0);
        app.StartServer();
        return app;
    }

    public static string Address(AppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ClientOptions.BaseAddress.ToString().TrimEnd('/');
    }
}
