//! The arguments of one subcommand: positional values, `--NAME VALUE` or `--NAME=VALUE`
//! options, `--help`, and `--` to end the options.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;

/// Parsed arguments of a subcommand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    /// Positional arguments, in order.
    pub positional: Vec<String>,
    /// Options by name, without the dashes.
    pub options: BTreeMap<String, String>,
    /// Whether `--help` or `-h` was given.
    pub help: bool,
}

/// A command line that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl Args {
    /// Parses `arguments`, accepting the options named in `known`, each with a value.
    pub fn parse(arguments: impl IntoIterator<Item = OsString>, known: &[&str]) -> Result<Args, UsageError> {
        let mut args = Args::default();
        let mut arguments = arguments.into_iter();
        let mut options_ended = false;
        while let Some(argument) = arguments.next() {
            let argument =
                argument.into_string().map_err(|raw| UsageError(format!("argument {raw:?} is not valid UTF-8")))?;
            if options_ended || !argument.starts_with('-') || argument == "-" {
                args.positional.push(argument);
                continue;
            }
            match argument.as_str() {
                "--" => options_ended = true,
                "--help" | "-h" => args.help = true,
                _ => {
                    let (name, inline_value) = match argument.trim_start_matches('-').split_once('=') {
                        Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                        None => (argument.trim_start_matches('-').to_owned(), None),
                    };
                    if !known.contains(&name.as_str()) {
                        let hint = crate::config::suggest::did_you_mean(&name, known.iter().copied());
                        return Err(UsageError(format!("unknown option `{argument}`{hint}")));
                    }
                    let value = match inline_value {
                        Some(value) => value,
                        None => arguments
                            .next()
                            .and_then(|value| value.into_string().ok())
                            .ok_or_else(|| UsageError(format!("option `--{name}` needs a value")))?,
                    };
                    if args.options.insert(name.clone(), value).is_some() {
                        return Err(UsageError(format!("option `--{name}` is given twice")));
                    }
                }
            }
        }
        Ok(args)
    }

    /// Returns the value of an option.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arguments: &[&str]) -> Result<Args, UsageError> {
        Args::parse(arguments.iter().map(OsString::from), &["profile"])
    }

    #[test]
    fn args_option_with_separate_value() {
        assert_eq!(parse(&["a.toml", "--profile", "prod"]).unwrap().option("profile"), Some("prod"));
    }

    #[test]
    fn args_option_with_equals() {
        assert_eq!(parse(&["--profile=prod", "a.toml"]).unwrap().positional, vec!["a.toml"]);
    }

    #[test]
    fn args_unknown_option_suggests() {
        assert!(parse(&["--profle", "x"]).unwrap_err().0.contains("did you mean `profile`"));
    }

    #[test]
    fn args_missing_value() {
        assert_eq!(parse(&["--profile"]).unwrap_err().0, "option `--profile` needs a value");
    }

    #[test]
    fn args_double_dash_ends_options() {
        assert_eq!(parse(&["--", "--profile"]).unwrap().positional, vec!["--profile"]);
    }
}
