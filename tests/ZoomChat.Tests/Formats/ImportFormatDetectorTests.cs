using System.Text;
using ZoomChat.Server.Interchange.Formats;

namespace ZoomChat.Tests.Formats;

/// <summary>How <c>zoomchat import</c> tells a format from a file's first bytes when <c>--format</c> is left out (docs/import-formats.md).</summary>
public sealed class ImportFormatDetectorTests
{
    [Theory]
    [InlineData("""{"session_id":"s-1","date_time":"2016-01-18T06:40:56Z","message":"hi"}""" + "\n", ImportFormats.Ndjson)]
    [InlineData("\n\n  {\"session_id\":\"s-1\"}\n", ImportFormats.Ndjson)]
    [InlineData("{not json\n{\"session_id\":\"s-1\"}\n", ImportFormats.Ndjson)]
    [InlineData("""{"messages":"not an array","session_id":"s-1"}""", ImportFormats.Ndjson)]
    [InlineData("", ImportFormats.Ndjson)]
    [InlineData(" \r\n\t\n", ImportFormats.Ndjson)]
    [InlineData("""{"from":"2024-03-01","sessions":[]}""", ImportFormats.ZoomReport)]
    [InlineData("{\n  \"deleted_messages\": [\n    {\n      \"id\": \"x\"", ImportFormats.ZoomReport)]
    [InlineData("{\n  \"from\": \"2024-03-01\",\n  \"page\": {\"messages\": [\"nested\"]},\n  \"messages\": [", ImportFormats.ZoomReport)]
    [InlineData("session_id,date_time,message\ns-1,2016-01-18T06:40:56Z,hi\n", ImportFormats.Csv)]
    [InlineData("\uFEFF\"account\",\" Session_ID \",\"date_time\",sender,message\r\n", ImportFormats.Csv)]
    [InlineData("08:58:13\t From  Leah Wasser : Welcome\n", ImportFormats.ZoomTxt)]
    [InlineData("08:57:39 From  Ann  to  Everyone : hello\r\n", ImportFormats.ZoomTxt)]
    [InlineData("\n11:36:50 From Michael McCool To Everyone:\n\twould be good\n", ImportFormats.ZoomTxt)]
    [InlineData("00:00:05\tAnn Lee:\thello\r\n", ImportFormats.ZoomTxt)]
    [InlineData("2024-03-01 10:00:00 From Ann to Everyone:\n\thi\n", ImportFormats.ZoomTxt)]
    [InlineData("Chat of the meeting\n10:00:00\t From Ann : hi\n", ImportFormats.ZoomTxt)]
    public void A_format_is_told_from_the_start_of_its_file(string start, string format)
    {
        Assert.Equal(ImportFormats.Parse(format), ImportFormatDetector.Detect(Encoding.UTF8.GetBytes(start)));
    }

    [Theory]
    [InlineData("hello world\n")]
    [InlineData("name,email\nAnn,ann@acme.com\n")]
    [InlineData("session_id,message\ns-1,hi\n")]
    [InlineData("[1,2,3]")]
    public void A_start_that_fits_no_format_is_not_guessed(string start)
    {
        Assert.Null(ImportFormatDetector.Detect(Encoding.UTF8.GetBytes(start)));
    }
}
