using CsCheck;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Fuzzing;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Reliability;

/// <summary>
/// Property-based fuzzing of the HTTP surface (docs/reliability.md#fuzzing): generated requests, valid and
/// hostile, sent byte for byte to a real server on a socket, every answer judged against the contract. A
/// failure prints CsCheck's seed; CsCheck_Seed=&lt;seed&gt; replays it. bench/fuzz.sh runs the same generator for long.
/// </summary>
public sealed class HttpFuzzTests
{
    // Small on purpose: a few seconds in the suite. Long runs are bench/fuzz.sh's.
    private const int Requests = 400;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [StoreFact]
    public async Task Generated_requests_get_answers_inside_the_contract_with_errors_on_http_200()
    {
        await FuzzAsync(httpErrorStatus: false);
    }

    [StoreFact]
    public async Task Generated_requests_get_answers_inside_the_contract_with_http_error_statuses()
    {
        await FuzzAsync(httpErrorStatus: true);
    }

    private static async Task FuzzAsync(bool httpErrorStatus)
    {
        await using var archive = await TestArchive.StartOnKestrelAsync(configure: options =>
            options.ErrorStatus = httpErrorStatus ? ErrorStatusMode.Http : ErrorStatusMode.Zoom);
        var target = await FuzzSeeding.SeedAsync(archive, httpErrorStatus);
        await using var connection = new FuzzConnection(archive.Address!, Timeout);

        await FuzzRequests.For(target).SampleAsync(
            async request =>
            {
                var answer = await connection.SendAsync(request, CancellationToken.None);
                var verdict = ApiContract.Judge(request, answer, httpErrorStatus);
                Assert.True(verdict.Kind != AnswerKind.Violation, $"{verdict.Violation}\n--- answer ---\n{answer}");
            },
            iter: Requests,
            threads: 1);
    }
}
