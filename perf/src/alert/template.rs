//! Templates of annotations: `{{ $value }}` and `{{ $labels.NAME }}`, as in Prometheus.
//!
//! A template is checked when the rule is built, so that a typo is an error at start-up
//! rather than a broken message at 3 a.m.

use crate::threshold::Labels;

/// A checked template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Value,
    Label(String),
}

impl Template {
    /// Parses `text`; the error names the bad placeholder and what is accepted.
    pub(crate) fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            parts.push(Part::Text(rest[..open].to_owned()));
            let after = &rest[open + 2..];
            let close = after.find("}}").ok_or_else(|| format!("unclosed `{{{{` in {text:?}; close it with `}}}}`"))?;
            let placeholder = after[..close].trim();
            let part = if placeholder == "$value" {
                Part::Value
            } else if let Some(name) = placeholder.strip_prefix("$labels.") {
                Part::Label(name.to_owned())
            } else {
                return Err(format!(
                    "unknown placeholder `{{{{ {placeholder} }}}}` in {text:?}; use `{{{{ $value }}}}` or `{{{{ $labels.NAME }}}}`"
                ));
            };
            parts.push(part);
            rest = &after[close + 2..];
        }
        parts.push(Part::Text(rest.to_owned()));
        Ok(Template { parts })
    }

    /// Fills in the placeholders; a missing label or value becomes the empty string.
    pub(crate) fn render(&self, labels: &Labels, value: Option<f64>) -> String {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                Part::Text(literal) => text.push_str(literal),
                Part::Value => {
                    if let Some(value) = value {
                        text.push_str(&format_value(value));
                    }
                }
                Part::Label(name) => text.push_str(labels.get(name).map_or("", String::as_str)),
            }
        }
        text
    }
}

/// Formats a value as Prometheus prints sample values: `+Inf`, `-Inf`, `NaN`, or the
/// shortest decimal that reads back the same.
pub(crate) fn format_value(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value == f64::INFINITY {
        "+Inf".to_owned()
    } else if value == f64::NEG_INFINITY {
        "-Inf".to_owned()
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_value_and_label() {
        let template = Template::parse("hit rate of {{ $labels.cache }} is {{$value}}").unwrap();
        let labels: Labels = [("cache".to_owned(), "sessions".to_owned())].into_iter().collect();
        assert_eq!(template.render(&labels, Some(0.42)), "hit rate of sessions is 0.42");
    }

    #[test]
    fn template_unknown_placeholder_rejected() {
        let error = Template::parse("{{ $humanize }}").unwrap_err();
        assert!(error.contains("$humanize"), "{error}");
    }

    #[test]
    fn template_unclosed_rejected() {
        assert!(Template::parse("value {{ $value").is_err());
    }

    #[test]
    fn format_value_infinity() {
        assert_eq!(format_value(f64::INFINITY), "+Inf");
    }
}
