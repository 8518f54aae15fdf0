namespace Sharptrace.Tracing.Perf;

/// <summary>Feature bits of the perf.data header (HEADER_* in tools/perf/util/header.h); each set bit has a section after the data.</summary>
public enum PerfDataFeature
{
    /// <summary>HEADER_BUILD_ID.</summary>
    BuildId = 2,
    /// <summary>HEADER_HOSTNAME.</summary>
    Hostname = 3,
    /// <summary>HEADER_OSRELEASE.</summary>
    OsRelease = 4,
    /// <summary>HEADER_VERSION (the perf version that wrote the file).</summary>
    Version = 5,
    /// <summary>HEADER_ARCH.</summary>
    Arch = 6,
    /// <summary>HEADER_NRCPUS.</summary>
    NrCpus = 7,
    /// <summary>HEADER_CMDLINE.</summary>
    CmdLine = 11,
    /// <summary>HEADER_EVENT_DESC.</summary>
    EventDesc = 12,
}
