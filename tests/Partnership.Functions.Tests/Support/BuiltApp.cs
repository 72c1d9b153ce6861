using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Partnership.Functions.Tests.Support;

/// <summary>
/// The app as built, in a process of its own on Kestrel, in the Testing environment against the shared Azurite, with
/// its own worker on the task hub of <c>prefix</c>. Killed when disposed, as a crash would kill it.
/// </summary>
public sealed class BuiltApp : IAsyncDisposable
{
    private readonly Process _process;

    /// <summary>The process's last lines of output, to say why it stopped if it does.</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output;

    private BuiltApp(Process process, int port, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// A process here is killed, so the next one takes over its bids within seconds rather than minutes: its
    /// partition once the lease runs out, and the messages it held once they show again.
    /// </summary>
    public static IReadOnlyDictionary<string, string> TakeoverSettings { get; } = new Dictionary<string, string>
    {
        ["Engine:LeaseInterval"] = "00:00:06",
        ["Engine:MessageVisibilityTimeout"] = "00:00:12",
    };

    /// <summary>Starts the built app with <paramref name="settings"/> on top of the test ones, on a free port.</summary>
    public static BuiltApp Start(AzuriteFixture azurite, string prefix, IDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(AzuriteFixture.RepositoryRoot(), "functions", "bin", configuration, "net10.0", "Partnership.Functions.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The app is not built at {dll}.");
        }

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Storage__ConnectionString"] = azurite.ConnectionString;
        start.Environment["Storage__Prefix"] = prefix;
        start.Environment["Decisions__SigningKey"] = AppFactory.SigningKey;
        foreach (var (key, value) in AppFactory.EngineSettings.Concat(TakeoverSettings))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Keep(object? sender, DataReceivedEventArgs line)
        {
            if (line.Data is { } text)
            {
                output.Enqueue(text);
                while (output.Count > 40 && output.TryDequeue(out _))
                {
                }
            }
        }

        process.OutputDataReceived += Keep;
        process.ErrorDataReceived += Keep;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BuiltApp(process, port, output);
    }

    /// <summary>The first /health answer once the app listens, or null if it never did within 30 s.</summary>
    public async Task<HttpResponseMessage?> HealthAsync()
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            try
            {
                return await Client.GetAsync("/health");
            }
            catch (HttpRequestException)
            {
                Assert.False(_process.HasExited, $"The app stopped before it listened. It said:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
                await Task.Delay(200);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>
    /// A loopback port the OS has just handed out and taken back. Picking one at random instead collides with the
    /// ports the OS hands to other tests' connections, which share the same range.
    /// </summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
