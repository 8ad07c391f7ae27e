using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ZoomChat.Server.Chat;

/// <summary>The routes of the v1 chat API, all on one screen (docs/api.md#transport).</summary>
internal static class ChatApi
{
    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder app)
    {
        // Mapped for every method: the handler answers anything but POST with 405 and the envelope.
        // Routing matches a trailing slash too.
        app.Map("/v1/chat/list", (HttpContext context, ChatRequestHandler handler) => handler.HandleAsync(context, ChatEndpoint.List));
        app.Map("/v1/chat/get", (HttpContext context, ChatRequestHandler handler) => handler.HandleAsync(context, ChatEndpoint.Get));
        return app;
    }
}
