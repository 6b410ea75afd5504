//! Bearer token authentication (RFC 6750): `Authorization: Bearer <token>`.

/// Returns `true` when the `Authorization` header carries `expected` as a bearer token.
///
/// The comparison takes the same time for every token of the expected length, so response
/// times do not reveal how many leading bytes of a guess were right.
pub(crate) fn is_authorized(header: Option<&str>, expected: &str) -> bool {
    let Some(header) = header else {
        return false;
    };
    let Some((scheme, token)) = header.trim().split_once(' ') else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return false;
    }
    constant_time_eq(token.trim().as_bytes(), expected.as_bytes())
}

fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    if left.len() != right.len() {
        return false;
    }
    let difference = left.iter().zip(right).fold(0u8, |difference, (a, b)| difference | (a ^ b));
    difference == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_bearer_token_is_accepted() {
        assert!(is_authorized(Some("Bearer s3cret"), "s3cret"));
        assert!(is_authorized(Some("bearer s3cret"), "s3cret"));
    }

    #[test]
    fn wrong_or_missing_token_is_rejected() {
        assert!(!is_authorized(Some("Bearer s3creT"), "s3cret"));
        assert!(!is_authorized(Some("Bearer s3cret-longer"), "s3cret"));
        assert!(!is_authorized(Some("Basic czNjcmV0"), "s3cret"));
        assert!(!is_authorized(Some("Bearer"), "s3cret"));
        assert!(!is_authorized(None, "s3cret"));
    }
}
