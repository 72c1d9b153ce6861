using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Microsoft.AspNetCore.Diagnostics;

namespace Partnership.Functions.Http;

/// <summary>
/// The one place where a request that could not be read becomes an answer: every binding, parsing and size failure
/// is a 4xx ProblemDetails naming the field, and storage that does not answer in time is a 503 to try again. Anything
/// else stays a 500 without details.
/// </summary>
public sealed partial class RequestErrors(IProblemDetailsService problems, ILogger<RequestErrors> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        var (status, title, errors) = Describe(exception, httpContext.RequestAborted);
        if (status is null)
        {
            return false;
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogStorageStalled(logger, exception, httpContext.Request.Method);
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = status.Value;
        var details = errors is null
            ? new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title }
            : new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(errors) { Status = status, Title = title };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = null });
    }

    internal static (int? Status, string Title, Dictionary<string, string[]>? Errors) Describe(Exception exception, CancellationToken requestAborted)
    {
        switch (exception)
        {
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return (413, "The request is too large.", new() { ["body"] = ["The request body is larger than this address accepts."] });
            case BadHttpRequestException bad when Find<JsonException>(bad) is { } json && IsSyntaxError(json):
                return (400, "The request has mistakes.", new() { [FieldOf(json)] = ["The body is not complete, valid JSON from here (NaN, Infinity, single quotes and unquoted words are not JSON)."] });
            case BadHttpRequestException bad when Find<JsonException>(bad) is { } json:
                return (400, "The request has mistakes.", new() { [FieldOf(json)] = [MessageOf(json)] });
            case BadHttpRequestException bad when Find<InvalidDataException>(bad) is not null || bad.Message.Contains("form", StringComparison.OrdinalIgnoreCase):
                return (400, "The request has mistakes.", new() { ["body"] = ["Send the form as multipart/form-data with a boundary, each part within the size allowed."] });
            case BadHttpRequestException bad when BindFailure().Match(bad.Message) is { Success: true } binding:
                return (400, "The request has mistakes.", new() { [binding.Groups["name"].Value] = [$"'{Shorten(binding.Groups["value"].Value)}' is not a valid value here."] });
            case BadHttpRequestException bad when MissingBody().IsMatch(bad.Message):
                return (400, "The request has mistakes.", new() { ["body"] = ["Send a JSON object in the request body."] });
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status415UnsupportedMediaType:
                return (415, "Send JSON.", new() { ["Content-Type"] = ["Send the body as application/json."] });
            case BadHttpRequestException bad:
                return (bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "The request has mistakes.", new() { ["body"] = ["The request could not be read."] });
            case InvalidDataException:
                return (400, "The request has mistakes.", new() { ["body"] = ["The form could not be read: send multipart/form-data with a boundary, each part within the size allowed."] });
            case RequestFailedException { Status: 0 or 408 or >= 500 }:
            case TimeoutException:
            case OperationCanceledException when !requestAborted.IsCancellationRequested:
            case AggregateException aggregate when aggregate.InnerExceptions.All(e => e is RequestFailedException { Status: 0 or 408 or >= 500 } or OperationCanceledException):
                return (503, "Storage is not answering; try again in a few seconds.", null);
            default:
                return (null, "", null);
        }
    }

    /// <summary>The reader's own failures (not JSON at all, cut short) rather than a value of the wrong kind.</summary>
    private static bool IsSyntaxError(JsonException json) => json.InnerException?.GetType().Name == "JsonReaderException";

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>"$.proposal.requestedRevenue" becomes "proposal.requestedRevenue"; the whole body is "body".</summary>
    private static string FieldOf(JsonException json) =>
        json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..]
        : json.Path is { Length: > 1 } indexed && indexed.StartsWith("$[", StringComparison.Ordinal) ? $"body{indexed[1..]}"
        : "body";

    /// <summary>Our readers' messages are written for people; the serializer's own are replaced by a plain one.</summary>
    private static string MessageOf(JsonException json) =>
        json.Message.Contains("Path:", StringComparison.Ordinal) || json.Message.Contains("LineNumber", StringComparison.Ordinal) || json.Message.Contains("System.", StringComparison.Ordinal)
            ? json.Path is null or "$" ? "The body is not a JSON object of the expected shape, or is not complete JSON." : "This is not the right kind of value here."
            : json.Message;

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    [GeneratedRegex("^Failed to bind parameter \"[^\"]*? (?<name>[A-Za-z0-9_]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    [GeneratedRegex("(no body was provided|was not provided from body|Required parameter)", RegexOptions.IgnoreCase)]
    private static partial Regex MissingBody();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Method} request was answered 503: storage did not answer in time")]
    private static partial void LogStorageStalled(ILogger logger, Exception exception, string method);
}
