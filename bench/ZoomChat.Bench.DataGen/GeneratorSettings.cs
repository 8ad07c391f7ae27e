namespace ZoomChat.Bench.DataGen;

/// <summary>What to generate: the command line's options.</summary>
internal sealed record GeneratorSettings(long Messages, ulong Seed, int Accounts)
{
    /// <summary>The archive's time span: four years, like an archive that has been kept a while.</summary>
    public static readonly DateTimeOffset Start = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset End = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
