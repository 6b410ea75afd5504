//! "Did you mean" suggestions for misspelled keys and names.

/// Returns the candidate closest to `input`, when it is close enough to be a likely typo: at
/// most one edit per three characters (and at least one), counting a swap of two neighbours
/// as one edit. A difference in case alone always matches, and so does a candidate that
/// starts with an input of three characters or more (`prod` for `production`).
pub(crate) fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (input.chars().count() / 3).max(1);
    let lowered = input.to_lowercase();

    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let is_prefix = lowered.chars().count() >= 3 && candidate.to_lowercase().starts_with(&lowered);
        let distance = if candidate.to_lowercase() == lowered {
            0
        } else if is_prefix {
            limit
        } else {
            strsim::damerau_levenshtein(input, candidate)
        };
        if distance <= limit && best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Returns `"; did you mean `name`?"` for the closest candidate, or an empty string.
pub(crate) fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match closest(input, candidates) {
        Some(candidate) => format!("; did you mean `{candidate}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_one_typo() {
        assert_eq!(closest("intervall", ["interval", "retention"]), Some("interval"));
    }

    #[test]
    fn closest_swapped_letters() {
        assert_eq!(closest("recievers", ["receivers", "routes"]), Some("receivers"));
    }

    #[test]
    fn closest_case_only() {
        assert_eq!(closest("HTTP", ["http"]), Some("http"));
    }

    #[test]
    fn closest_prefix() {
        assert_eq!(closest("prod", ["staging", "production"]), Some("production"));
    }

    #[test]
    fn closest_nothing_near() {
        assert_eq!(closest("colour", ["interval", "retention"]), None);
    }

    #[test]
    fn did_you_mean_empty_without_match() {
        assert_eq!(did_you_mean("zzz", ["interval"]), "");
    }
}
