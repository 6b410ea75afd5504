//! Parsers of the `/proc/self` files that the process collector reads, as proc(5) lays them
//! out on Linux. They take the file's text, so they are tested on fixed inputs.

use std::fmt;

/// Fields of `/proc/self/status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Status {
    /// `VmRSS`, resident memory, in bytes.
    pub(crate) resident_bytes: u64,
    /// `VmSize`, virtual memory, in bytes.
    pub(crate) virtual_bytes: u64,
    /// `Threads`.
    pub(crate) threads: u64,
}

/// CPU time fields of `/proc/self/stat`, in clock ticks (`sysconf(_SC_CLK_TCK)` per second).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CpuTicks {
    /// `utime`, field 14.
    pub(crate) user: u64,
    /// `stime`, field 15.
    pub(crate) system: u64,
}

/// A `/proc` file whose text does not have the expected layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub(crate) file: &'static str,
    pub(crate) detail: String,
}

/// Reads `VmRSS`, `VmSize` and `Threads` from the text of `/proc/self/status`.
pub(crate) fn parse_status(text: &str) -> Result<Status, ParseError> {
    let mut resident = None;
    let mut virtual_size = None;
    let mut threads = None;
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        match key {
            "VmRSS" => resident = Some(kibibytes(value)?),
            "VmSize" => virtual_size = Some(kibibytes(value)?),
            "Threads" => threads = Some(number("/proc/self/status", "Threads", value.trim())?),
            _ => {}
        }
    }

    Ok(Status {
        resident_bytes: resident.ok_or_else(|| missing("/proc/self/status", "VmRSS"))?,
        virtual_bytes: virtual_size.ok_or_else(|| missing("/proc/self/status", "VmSize"))?,
        threads: threads.ok_or_else(|| missing("/proc/self/status", "Threads"))?,
    })
}

/// Reads `utime` and `stime` from the text of `/proc/self/stat`.
///
/// The second field, the command name in parentheses, may itself contain spaces and
/// parentheses, so the fields are counted from the last `)`.
pub(crate) fn parse_stat(text: &str) -> Result<CpuTicks, ParseError> {
    let file = "/proc/self/stat";
    let (_, rest) = text.rsplit_once(')').ok_or_else(|| missing(file, "the `)` closing the command name"))?;
    // `rest` starts at field 3 (the state), so field N is at index N - 3.
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |number_of_field: usize, name: &str| {
        let value = fields.get(number_of_field - 3).ok_or_else(|| missing(file, name))?;
        number(file, name, value)
    };
    Ok(CpuTicks { user: field(14, "utime")?, system: field(15, "stime")? })
}

/// Reads the soft `Max open files` limit from the text of `/proc/self/limits`, or `None` when
/// it is `unlimited`.
pub(crate) fn parse_max_open_files(text: &str) -> Result<Option<u64>, ParseError> {
    let file = "/proc/self/limits";
    let line = text
        .lines()
        .find_map(|line| line.strip_prefix("Max open files"))
        .ok_or_else(|| missing(file, "Max open files"))?;
    let soft = line.split_whitespace().next().ok_or_else(|| missing(file, "the soft limit of Max open files"))?;
    if soft == "unlimited" {
        return Ok(None);
    }
    number(file, "Max open files", soft).map(Some)
}

fn kibibytes(value: &str) -> Result<u64, ParseError> {
    let file = "/proc/self/status";
    let digits = value
        .trim()
        .strip_suffix("kB")
        .ok_or_else(|| ParseError { file, detail: format!("expected a size in kB, found {:?}", value.trim()) })?;
    let kib = number(file, "memory size", digits.trim())?;
    Ok(kib.saturating_mul(1024))
}

fn number(file: &'static str, name: &str, text: &str) -> Result<u64, ParseError> {
    text.parse().map_err(|_| ParseError { file, detail: format!("{name} is {text:?}, not a whole number") })
}

fn missing(file: &'static str, what: &str) -> ParseError {
    ParseError { file, detail: format!("{what} is missing") }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected layout of {}: {}", self.file, self.detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "Name:\tdemo\nUmask:\t0022\nState:\tS (sleeping)\nVmPeak:\t  20000 kB\n\
                          VmSize:\t   16788 kB\nVmRSS:\t    5120 kB\nThreads:\t7\n";

    #[test]
    fn status_reads_memory_and_threads() {
        let status = parse_status(STATUS).unwrap();
        assert_eq!(status, Status { resident_bytes: 5120 * 1024, virtual_bytes: 16788 * 1024, threads: 7 });
    }

    #[test]
    fn status_without_rss_is_an_error() {
        let error = parse_status("VmSize:\t 1 kB\nThreads:\t1\n").unwrap_err();
        assert_eq!(error.detail, "VmRSS is missing");
    }

    #[test]
    fn stat_counts_fields_after_command_name() {
        let text = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194304 500 0 0 0 31 17 0 0 20 0 3 0 100 \
                    16777216 1280 18446744073709551615";
        assert_eq!(parse_stat(text).unwrap(), CpuTicks { user: 31, system: 17 });
    }

    #[test]
    fn stat_truncated_is_an_error() {
        let error = parse_stat("1 (x) S 1 2 3").unwrap_err();
        assert_eq!(error.detail, "utime is missing");
    }

    #[test]
    fn limits_reads_soft_open_files() {
        let text = "Limit                     Soft Limit           Hard Limit           Units\n\
                    Max open files            1024                 524288               files\n";
        assert_eq!(parse_max_open_files(text).unwrap(), Some(1024));
    }

    #[test]
    fn limits_unlimited_open_files() {
        let text = "Max open files            unlimited            unlimited            files\n";
        assert_eq!(parse_max_open_files(text).unwrap(), None);
    }
}
