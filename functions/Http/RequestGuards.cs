using Microsoft.AspNetCore.Http.Features;
using Partnership.Workflows;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Http;

/// <summary>How large a request body an endpoint reads; JSON commands keep the default.</summary>
public sealed record BodyLimit(long Bytes)
{
    /// <summary>The largest JSON command, a full return or proposal, is a few kilobytes; this leaves room and no more.</summary>
    public const long Json = 64 * 1024;
}

/// <summary>
/// Checks every request before an endpoint reads it: route ids are safe as storage keys (and quarters are quarters), the body is within the
/// endpoint's limit (enforced by the server while it streams, not after buffering), and every response tells browsers
/// not to guess content types.
/// </summary>
public static class RequestGuards
{
    /// <summary>
    /// Route values that are not ids: signed tokens and secrets are checked by their own endpoints, and a page's name
    /// and handler are set by routing, not by the caller.
    /// </summary>
    private static readonly HashSet<string> NotIds = new(StringComparer.OrdinalIgnoreCase) { "token", "secret", "page", "handler" };

    /// <summary>Route values with a shape of their own; every other one is an id.</summary>
    private static readonly Dictionary<string, (Func<string, bool> IsValid, string Rule)> Shaped = new(StringComparer.OrdinalIgnoreCase)
    {
        ["quarter"] = (q => FinancialQuarter.TryParse(q, out _), RequestRules.QuarterRule),
        ["idempotencyKey"] = (Problems.IsIdempotencyKey, Problems.IdempotencyKeyRule),
    };

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new BodyLimit(bytes));

    public static IApplicationBuilder UseRequestGuards(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            foreach (var (name, value) in context.Request.RouteValues)
            {
                if (NotIds.Contains(name) || value is not string text)
                {
                    continue;
                }

                var (isValid, rule) = Shaped.TryGetValue(name, out var shape) ? shape : (Ids.IsSafe, Ids.Rule);
                if (!isValid(text))
                {
                    await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [name] = [rule] }, title: "The request has mistakes.").ExecuteAsync(context);
                    return;
                }
            }

            var limit = context.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>()?.Bytes ?? BodyLimit.Json;
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await TypedResults.Problem(statusCode: 413, title: "The request is too large.", detail: $"This address accepts bodies of up to {limit:N0} bytes.").ExecuteAsync(context);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }
            else
            {
                context.Request.Body = new LimitedBody(context.Request.Body, limit);
            }

            await next(context);
        });
    }
}

/// <summary>Where the server cannot limit a body itself (an in-memory test server), the same limit while reading.</summary>
internal sealed class LimitedBody(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge) : read;
    }
}
