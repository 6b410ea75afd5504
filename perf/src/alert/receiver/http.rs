//! The HTTP client behind the webhook and Alertmanager receivers: `ureq`, blocking, on the
//! delivery thread.

use std::time::Duration;

use super::DeliveryError;

/// Most bytes of an error response kept in the error message.
const ERROR_BODY_LIMIT: u64 = 2048;

/// A JSON poster with a timeout for the whole request.
#[derive(Debug, Clone)]
pub(crate) struct JsonPoster {
    agent: ureq::Agent,
}

impl JsonPoster {
    pub(crate) fn new(timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder().timeout_global(Some(timeout)).http_status_as_error(false).build();
        JsonPoster { agent: config.into() }
    }

    /// Posts `body` as JSON to `url`. A status outside 2xx is an error with the response
    /// body; 4xx statuses other than 408 and 429 are not worth retrying.
    pub(crate) fn post(&self, url: &str, body: &[u8]) -> Result<(), DeliveryError> {
        self.post_with_headers(url, body, &[])
    }

    /// Posts like [`JsonPoster::post`], with extra request headers sent after `Content-Type`.
    pub(crate) fn post_with_headers(
        &self,
        url: &str,
        body: &[u8],
        headers: &[(String, String)],
    ) -> Result<(), DeliveryError> {
        let mut request = self.agent.post(url).header("Content-Type", "application/json");
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let mut response =
            request.send(body).map_err(|error| DeliveryError::retryable(format!("POST {url} failed: {error}")))?;

        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        let text = response.body_mut().with_config().limit(ERROR_BODY_LIMIT).read_to_string().unwrap_or_default();
        let message = format!("POST {url} returned HTTP {status}: {}", text.trim());
        if (400..500).contains(&status) && status != 408 && status != 429 {
            Err(DeliveryError::permanent(message))
        } else {
            Err(DeliveryError::retryable(message))
        }
    }
}
