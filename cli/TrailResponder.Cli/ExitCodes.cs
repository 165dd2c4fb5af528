namespace TrailResponder.Cli;

/// <summary>The process exit codes every command uses (documented in README).</summary>
internal static class ExitCodes
{
    /// <summary>The command ran, whatever it found.</summary>
    public const int Ok = 0;

    /// <summary>Something examined is not as it should be (validate: invalid, missing or unverified files).</summary>
    public const int Problems = 1;

    /// <summary>The command line or a configuration file is wrong; nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>Some input could not be read; the rest was processed and reported.</summary>
    public const int InputError = 3;
}
