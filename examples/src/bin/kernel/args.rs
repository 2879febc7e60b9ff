//! Command-line options of the demo, parsed by hand: five options do not need a parser crate.

use std::fmt;
use std::time::Duration;

use oxios_metrics::Format;

/// The port used when neither `--port` nor the environment names one.
pub const DEFAULT_PORT: u16 = 9898;
/// The environment variable read for the port when `--port` is absent.
pub const PORT_VARIABLE: &str = "OXIOS_KERNEL_PORT";

/// The help text.
pub const USAGE: &str = "\
usage: kernel [--port PORT] [--duration SECONDS] [--workload-seconds SECONDS]
              [--format negotiate|openmetrics|prometheus] [--summary-every SECONDS]

Runs a simulated agent kernel and serves its metrics at http://127.0.0.1:PORT/metrics.

  --port PORT                 port on 127.0.0.1 (default 9898, or $OXIOS_KERNEL_PORT; 0 picks a free one)
  --duration SECONDS          stop after this long (default: run until Ctrl-C)
  --workload-seconds SECONDS  stop the simulated workload after this long but keep serving,
                              so the metrics hold still (for comparing against a scraper);
                              SIGUSR1 does the same at any time
  --format FORMAT             negotiate from Accept (default), or always answer in
                              openmetrics or prometheus (text 0.0.4)
  --summary-every SECONDS     how often to print the live summary (default 5)";

/// What the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The port to serve on (0: any free port).
    pub port: u16,
    /// Stop after this long; `None` runs until a signal.
    pub duration: Option<Duration>,
    /// Stop the workload (but keep serving) after this long.
    pub workload: Option<Duration>,
    /// Answer every scrape in this format; `None` negotiates from `Accept`.
    pub format: Option<Format>,
    /// How often the live summary is printed.
    pub summary_every: Duration,
    /// `--help` was given: print the usage and exit.
    pub help: bool,
}

/// A command line that cannot be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgsError(String);

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn seconds(option: &str, text: &str) -> Result<Duration, ArgsError> {
    text.parse::<f64>()
        .ok()
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0 && *seconds < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            ArgsError(format!(
                "{option} needs a positive number of seconds, not `{text}`"
            ))
        })
}

fn port(origin: &str, text: &str) -> Result<u16, ArgsError> {
    text.parse().map_err(|_| {
        ArgsError(format!(
            "{origin} needs a port number from 0 to 65535, not `{text}`"
        ))
    })
}

impl Options {
    /// Parses `args` (without the program name); `port_variable` is the value of
    /// [`PORT_VARIABLE`], if set.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        port_variable: Option<String>,
    ) -> Result<Options, ArgsError> {
        let mut options = Options {
            port: DEFAULT_PORT,
            duration: None,
            workload: None,
            format: None,
            summary_every: Duration::from_secs(5),
            help: false,
        };
        if let Some(value) = port_variable {
            options.port = port(PORT_VARIABLE, &value)?;
        }
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) if name.starts_with("--") => {
                    (name.to_owned(), Some(value.to_owned()))
                }
                _ => (arg.clone(), None),
            };
            if name == "--help" || name == "-h" {
                options.help = true;
                continue;
            }
            if !name.starts_with('-') {
                return Err(ArgsError(format!("unexpected argument `{name}`")));
            }
            let Some(value) = inline.or_else(|| args.next()) else {
                return Err(ArgsError(format!("{name} needs a value")));
            };
            match name.as_str() {
                "--port" => options.port = port("--port", &value)?,
                "--duration" => options.duration = Some(seconds("--duration", &value)?),
                "--workload-seconds" => {
                    options.workload = Some(seconds("--workload-seconds", &value)?)
                }
                "--summary-every" => options.summary_every = seconds("--summary-every", &value)?,
                "--format" => {
                    options.format = match value.as_str() {
                        "negotiate" => None,
                        "openmetrics" => Some(Format::OpenMetrics),
                        "prometheus" | "text" => Some(Format::Prometheus),
                        other => {
                            return Err(ArgsError(format!(
                                "--format is negotiate, openmetrics or prometheus, not `{other}`"
                            )))
                        }
                    }
                }
                other => return Err(ArgsError(format!("unknown option `{other}`"))),
            }
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, ArgsError> {
        Options::parse(args.iter().map(|arg| arg.to_string()), None)
    }

    #[test]
    fn defaults() {
        let options = parse(&[]).unwrap();
        assert_eq!(options.port, DEFAULT_PORT);
        assert_eq!(options.duration, None);
        assert_eq!(options.format, None);
    }

    #[test]
    fn every_option_in_both_spellings() {
        let options = parse(&[
            "--port",
            "0",
            "--duration=2.5",
            "--workload-seconds",
            "1",
            "--format=prometheus",
            "--summary-every",
            "1",
        ])
        .unwrap();
        assert_eq!(options.port, 0);
        assert_eq!(options.duration, Some(Duration::from_millis(2500)));
        assert_eq!(options.workload, Some(Duration::from_secs(1)));
        assert_eq!(options.format, Some(Format::Prometheus));
        assert_eq!(options.summary_every, Duration::from_secs(1));
    }

    #[test]
    fn the_environment_gives_the_port_and_the_flag_wins() {
        let from_env = Options::parse(Vec::new(), Some("9100".into())).unwrap();
        assert_eq!(from_env.port, 9100);
        let flag = Options::parse(vec!["--port".into(), "9200".into()], Some("9100".into()));
        assert_eq!(flag.unwrap().port, 9200);
        assert!(Options::parse(Vec::new(), Some("http".into())).is_err());
    }

    #[test]
    fn bad_input_is_an_error_naming_the_option() {
        for (args, needle) in [
            (&["--port", "70000"][..], "--port"),
            (&["--duration", "-1"][..], "--duration"),
            (&["--duration", "NaN"][..], "--duration"),
            (&["--format", "json"][..], "--format"),
            (&["--port"][..], "needs a value"),
            (&["--bogus", "1"][..], "unknown option"),
            (&["stray"][..], "unexpected argument"),
        ] {
            let error = parse(args).unwrap_err().to_string();
            assert!(error.contains(needle), "{args:?}: {error}");
        }
    }
}
