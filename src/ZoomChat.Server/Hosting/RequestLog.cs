using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ZoomChat.Server.Chat;

namespace ZoomChat.Server.Hosting;

/// <summary>
/// One structured line per request: method, path (never the query string, which may carry
/// credentials), status, v1 error code and duration. A fault becomes the 500 envelope with a
/// request id that points at the logged exception.
/// </summary>
internal static partial class RequestLog
{
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("ZoomChat.Requests");
        var options = app.ApplicationServices.GetRequiredService<IOptions<ZoomChatOptions>>().Value;
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                LogFault(logger, e, context.TraceIdentifier);
                context.Response.Clear();
                var format = context.Items.TryGetValue(ChatResponseWriter.FormatItem, out var asked) && asked is ResponseFormat f ? f : ResponseFormat.Json;
                await ChatResponseWriter.WriteErrorAsync(context, ApiError.Internal(context.TraceIdentifier), format, options.ErrorStatus);
            }
            finally
            {
                LogIfEnabled(logger, context, started);
            }
        });
    }

    private static void LogIfEnabled(ILogger logger, HttpContext context, long started)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var code = context.Items.TryGetValue(ChatResponseWriter.ErrorCodeItem, out var value) ? (int)value! : 0;
            LogRequest(
                logger,
                context.Request.Method,
                context.Request.Path.Value ?? string.Empty,
                context.Response.StatusCode,
                code,
                elapsedMs);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} {StatusCode} error={ErrorCode} {ElapsedMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, int errorCode, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Request {RequestId} failed")]
    private static partial void LogFault(ILogger logger, Exception exception, string requestId);
}
