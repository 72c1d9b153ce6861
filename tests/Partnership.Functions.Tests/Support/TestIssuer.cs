using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Partnership.Functions.Identity;

namespace Partnership.Functions.Tests.Support;

/// <summary>A person as their organisation's Entra ID tenant describes them.</summary>
public sealed record StaffAccount(string Tenant, string ObjectId, string Name, string Email, params string[] AppRoles);

/// <summary>
/// A local stand-in for Microsoft Entra ID on a loopback HTTPS port: Entra's discovery document (issuer with
/// {tenantid}), a JWKS of its own RSA key, the authorize endpoint answering with a form post as Entra does, and the
/// token endpoint redeeming the code with PKCE and the client secret. The app validates its tokens with the same
/// Microsoft.Identity.Web set-up as in Azure; only the address, and trust in this issuer's TLS certificate, differ.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string ClientId = "6a3b9c1e-2f4d-4e8a-9b7c-1d2e3f405162";
    public const string ClientSecret = "test-client-secret";

    /// <summary>The partners' tenants the app trusts (a council and an NHS trust), and one it does not.</summary>
    public const string Council = "11111111-1111-4111-8111-111111111111";
    public const string NhsTrust = "22222222-2222-4222-8222-222222222222";
    public const string Stranger = "99999999-9999-4999-8999-999999999999";

    /// <summary>Every certificate a test issuer has served, so a client made for one never refuses another on a reused port.</summary>
    private static readonly ConcurrentDictionary<string, bool> Certificates = new();

    /// <summary>What Entra ID's discovery document says it supports, as far as a sign-in reads it.</summary>
    private static readonly Dictionary<string, string[]> Supported = new()
    {
        ["response_types_supported"] = ["code", "id_token", "code id_token"],
        ["response_modes_supported"] = ["query", "fragment", "form_post"],
        ["subject_types_supported"] = ["pairwise"],
        ["id_token_signing_alg_values_supported"] = ["RS256"],
        ["scopes_supported"] = ["openid", "profile", "email", "offline_access"],
        ["token_endpoint_auth_methods_supported"] = ["client_secret_post", "client_secret_basic"],
        ["code_challenge_methods_supported"] = ["S256"],
    };

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key;
    private readonly ConcurrentDictionary<string, (StaffAccount Account, string Nonce, string Challenge, string RedirectUri)> _codes = new();

    private TestIssuer(WebApplication app, RsaSecurityKey key) => (_app, _key) = (app, key);

    /// <summary>Who the authorize endpoint signs in next, as if they had typed their password at Microsoft's page.</summary>
    public StaffAccount? NextSignIn { get; set; }

    public string Instance => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";

    public string IssuerFor(string tenant) => $"{Instance}{tenant}/v2.0";

    /// <summary>The app's settings for staff sign-in through this issuer, trusting the council and the NHS trust.</summary>
    public IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["AzureAd:Instance"] = Instance,
        ["AzureAd:TenantId"] = "organizations",
        ["AzureAd:ClientId"] = ClientId,
        ["AzureAd:ClientSecret"] = ClientSecret,
        ["AzureAd:AllowedTenants:0"] = Council,
        ["AzureAd:AllowedTenants:1"] = NhsTrust,
    };

    public static async Task<TestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = Certificate();
        Certificates[certificate.Thumbprint] = true;
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };
        var issuer = new TestIssuer(builder.Build(), key);
        issuer.Map();
        await issuer._app.StartAsync();
        return issuer;
    }

    /// <summary>A token as Entra ID issues it for the app: an access token for the API, or the ID token of a page sign-in.</summary>
    public string Token(StaffAccount account, string? audience = null, DateTimeOffset? expires = null, string? nonce = null, RsaSecurityKey? signedWith = null, string? accessToken = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var ends = expires ?? DateTimeOffset.UtcNow.AddHours(1);
        var starts = ends < DateTimeOffset.UtcNow ? ends.AddHours(-1) : DateTimeOffset.UtcNow.AddMinutes(-1);
        var claims = new Dictionary<string, object>
        {
            ["tid"] = account.Tenant,
            ["oid"] = account.ObjectId,
            ["sub"] = account.ObjectId,
            ["name"] = account.Name,
            ["preferred_username"] = account.Email,
            ["ver"] = "2.0",
        };
        if (account.AppRoles.Length > 0)
        {
            claims["roles"] = account.AppRoles;
        }
        else
        {
            claims["scp"] = "access_as_user";
        }

        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        if (accessToken is not null)
        {
            claims["at_hash"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]);
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IssuerFor(account.Tenant),
            Audience = audience ?? ClientId,
            IssuedAt = starts.UtcDateTime,
            NotBefore = starts.UtcDateTime,
            Expires = ends.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(signedWith ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>Points the app's Microsoft.Identity.Web clients at this issuer, trusting its certificate.</summary>
    public static void Trust(IServiceCollection services)
    {
        services.Configure<OpenIdConnectOptions>(SignInSetup.Entra, o => o.BackchannelHttpHandler = TrustingHandler());
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = TrustingHandler());
        services.Configure<AadIssuerValidatorOptions>(o => o.HttpClientName = nameof(TestIssuer));
        services.AddHttpClient(nameof(TestIssuer)).ConfigurePrimaryHttpMessageHandler(TrustingHandler);
    }

    public static HttpClientHandler TrustingHandler() => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || (certificate is not null && Certificates.ContainsKey(certificate.Thumbprint)),
        AllowAutoRedirect = false,
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map()
    {
        _app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) =>
        {
            var issuer = tenant is "organizations" or "common" ? IssuerFor("{tenantid}") : IssuerFor(tenant);
            var endpoints = new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["authorization_endpoint"] = $"{Instance}{tenant}/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"{Instance}{tenant}/oauth2/v2.0/token",
                ["end_session_endpoint"] = $"{Instance}{tenant}/oauth2/v2.0/logout",
                ["jwks_uri"] = $"{Instance}{tenant}/discovery/v2.0/keys",
            };
            return Results.Json(endpoints.Concat(Supported.Select(s => KeyValuePair.Create(s.Key, (object)s.Value))).ToDictionary());
        });

        _app.MapGet("/{tenant}/discovery/v2.0/keys", () =>
        {
            var parameters = _key.Rsa.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["kid"] = _key.KeyId,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                        ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                        ["issuer"] = IssuerFor("{tenantid}"),
                    },
                },
            });
        });

        _app.MapGet("/{tenant}/oauth2/v2.0/authorize", (HttpContext http) =>
        {
            var query = http.Request.Query;
            var account = NextSignIn ?? throw new InvalidOperationException("The test did not say who signs in.");
            if (query["client_id"] != ClientId || query["code_challenge_method"] != "S256")
            {
                return Results.BadRequest($"AADSTS700016: unknown client, or no PKCE: {http.Request.QueryString}");
            }

            var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var redirect = query["redirect_uri"].ToString();
            _codes[code] = (account, query["nonce"].ToString(), query["code_challenge"].ToString(), redirect);
            var html = new StringBuilder()
                .Append("<!DOCTYPE html><html lang=\"en\"><head><title>Working...</title></head><body>")
                .Append(System.Globalization.CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{WebUtility.HtmlEncode(redirect)}\">")
                .Append(System.Globalization.CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"code\" value=\"{code}\">")
                .Append(System.Globalization.CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"state\" value=\"{WebUtility.HtmlEncode(query["state"])}\">")
                .Append("<button type=\"submit\">Continue</button></form></body></html>");
            return Results.Content(html.ToString(), "text/html");
        });

        _app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
            {
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            }

            if (!_codes.TryRemove(form["code"].ToString(), out var grant)
                || grant.RedirectUri != form["redirect_uri"]
                || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            // An access token for Microsoft Graph, as Entra ID gives with every sign-in; the app never uses it.
            var accessToken = Token(grant.Account, audience: "00000003-0000-0000-c000-000000000000");
            return Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3600,
                ["access_token"] = accessToken,
                ["id_token"] = Token(grant.Account, nonce: grant.Nonce, accessToken: accessToken),
            });
        });
    }

    /// <summary>A self-signed certificate for 127.0.0.1, as a developer's HTTPS certificate is.</summary>
    private static X509Certificate2 Certificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Partnership Funds test issuer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>The hidden fields of the form the authorize endpoint answered with.</summary>
    public static Dictionary<string, string> FormFields(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        return System.Text.RegularExpressions.Regex.Matches(html, "name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")
            .ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
    }

    public static string FormAction(string html) =>
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "action=\"(?<action>[^\"]+)\"").Groups["action"].Value);
}
