using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Partnership.Functions.Infrastructure;

/// <summary>A value carried in a link: its JSON in base64url, a dot, then an HMAC-SHA256 of that JSON under the caller's key.</summary>
public static class SignedTokens
{
    public static string Sign<T>(T value, byte[] key)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(value);
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, payload))}";
    }

    /// <summary>The value, or null when the token is malformed or its signature is not this key's.</summary>
    public static T? Verify<T>(string token, byte[] key)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 2 || !Base64Url.IsValid(parts[0]) || !Base64Url.IsValid(parts[1]))
        {
            return null;
        }

        var payload = Base64Url.DecodeFromChars(parts[0]);
        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), Base64Url.DecodeFromChars(parts[1]))
            ? JsonSerializer.Deserialize<T>(payload)
            : null;
    }
}
