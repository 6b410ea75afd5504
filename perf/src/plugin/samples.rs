use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::metric::Buckets;
use crate::snapshot::MetricValue;

/// One value written by a collector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Metric name.
    pub name: String,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// Value.
    pub value: MetricValue,
    /// The buckets of a histogram sample, lossless (a base64 HdrHistogram V2 blob when
    /// serialized).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::export::hdr::option")]
    pub histogram: Option<Buckets>,
}

/// The samples a [`Collector`](super::Collector) writes during one collection.
#[derive(Debug, Default)]
pub struct Samples {
    samples: Vec<Sample>,
}

impl Samples {
    /// Writes the total of a counter.
    pub fn counter(&mut self, name: &str, labels: &[(&str, &str)], total: u64) {
        self.push(name, labels, MetricValue::Counter(total));
    }

    /// Writes an integer gauge.
    pub fn gauge(&mut self, name: &str, labels: &[(&str, &str)], value: i64) {
        self.push(name, labels, MetricValue::Gauge(value));
    }

    /// Writes a floating-point gauge.
    pub fn float_gauge(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.push(name, labels, MetricValue::FloatGauge(value));
    }

    /// Writes the distribution of a histogram's buckets.
    pub fn histogram(&mut self, name: &str, labels: &[(&str, &str)], buckets: &Buckets) {
        self.push(name, labels, MetricValue::Histogram(buckets.distribution()));
        if let Some(sample) = self.samples.last_mut() {
            sample.histogram = Some(buckets.clone());
        }
    }

    /// Returns the samples written so far.
    pub fn as_slice(&self) -> &[Sample] {
        &self.samples
    }

    pub(crate) fn into_vec(self) -> Vec<Sample> {
        self.samples
    }

    fn push(&mut self, name: &str, labels: &[(&str, &str)], value: MetricValue) {
        let labels = labels.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect();
        self.samples.push(Sample { name: name.to_owned(), labels, value, histogram: None });
    }
}
