using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ZoomChat.Bench.Baseline;

if (args is ["import-floor", var floorStore])
{
    return ImportFloor.Run(floorStore);
}

// The limit of the platform (docs/benchmarks.md#what-runs): Kestrel, routing and form parsing as ZoomChat uses them, then
// a response of the size of a typical ZoomChat chat/get page, prepared once. No store, no checks.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
var sample = builder.Configuration["sample"]
    ?? throw new ArgumentException("--sample FILE is required: an NDJSON archive (bench/data/*.ndjson) to take a typical page from.");

var page = BaselinePage.FromSample(sample);
Console.WriteLine($"baseline: chat/get page of {page.Body.Length} bytes: {page.Description}");

// --store FILE: chat/get and chat/list read their pages from a ZoomChat store instead (the store
// floors, StoreFloor and ListFloor).
var floor = builder.Configuration["store"] is { } store ? StoreFloor.Open(store) : null;

var app = builder.Build();
RequestDelegate answer = async context =>
{
    // Read and parse the same form body as ZoomChat does; the values are not looked at.
    await context.Request.ReadFormAsync(context.RequestAborted);
    context.Response.StatusCode = StatusCodes.Status200OK;
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = page.Body.Length;
    await context.Response.Body.WriteAsync(page.Body, context.RequestAborted);
};
app.MapPost("/v1/chat/get", floor is null ? answer : floor.AnswerAsync);
app.MapPost("/v1/chat/list", floor is null ? answer : floor.Lists().AnswerAsync);
app.MapGet("/healthz", () => Results.Text("{\"status\":\"ok\"}", "application/json"));
await app.RunAsync();
return 0;
