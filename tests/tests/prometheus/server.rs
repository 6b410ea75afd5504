//! A real Prometheus server for one test: its own port on 127.0.0.1, its own storage folder,
//! stopped (by its process id) when dropped.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{binary, free_port, http_client, wait_for};

pub(crate) struct Prometheus {
    child: Child,
    pub(crate) port: u16,
    _storage: tempfile::TempDir,
}

impl Prometheus {
    /// Starts Prometheus scraping `target` (host:port) every second, with `rule_file` loaded,
    /// and waits until it is ready.
    pub(crate) fn start(target: &str, rule_file: &Path) -> Prometheus {
        let storage = tempfile::tempdir().expect("temporary folder");
        let config = format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nrule_files:\n  - {rules:?}\nscrape_configs:\n  - job_name: perf-test\n    static_configs:\n      - targets: [{target:?}]\n",
            rules = rule_file.display().to_string(),
        );
        let config_path = storage.path().join("prometheus.yml");
        std::fs::write(&config_path, config).expect("write the Prometheus configuration");

        let port = free_port();
        let log = std::fs::File::create(storage.path().join("prometheus.log")).expect("create the log file");
        let child = Command::new(binary("prometheus"))
            .arg(format!("--config.file={}", config_path.display()))
            .arg(format!("--storage.tsdb.path={}", storage.path().join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("prometheus starts");
        let prometheus = Prometheus { child, port, _storage: storage };

        let agent = http_client();
        let ready = format!("http://127.0.0.1:{port}/-/ready");
        wait_for("Prometheus to be ready", Duration::from_secs(30), || {
            agent.get(&ready).call().ok().filter(|response| response.status() == 200).map(|_| ())
        });
        prometheus
    }

    /// Runs an instant query and returns the `data.result` array.
    pub(crate) fn query(&self, promql: &str) -> Vec<serde_json::Value> {
        let url = format!("http://127.0.0.1:{}/api/v1/query", self.port);
        let body = http_client()
            .get(&url)
            .query("query", promql)
            .call()
            .expect("query Prometheus")
            .body_mut()
            .read_to_string()
            .expect("read the answer");
        let answer: serde_json::Value = serde_json::from_str(&body).expect("Prometheus answers JSON");
        assert_eq!(answer["status"], "success", "query {promql} failed: {answer}");
        answer["data"]["result"].as_array().cloned().unwrap_or_default()
    }

    /// Returns the value of a query that yields one series, once it yields one.
    pub(crate) fn scalar(&self, promql: &str) -> f64 {
        wait_for(&format!("a sample of {promql}"), Duration::from_secs(20), || {
            let result = self.query(promql);
            let value = result.first()?["value"][1].as_str()?.parse().ok()?;
            Some(value)
        })
    }

    /// Returns a JSON API document, such as `rules` or `targets`.
    pub(crate) fn api(&self, path: &str) -> serde_json::Value {
        let url = format!("http://127.0.0.1:{}/api/v1/{path}", self.port);
        let body = http_client()
            .get(&url)
            .call()
            .expect("call the Prometheus API")
            .body_mut()
            .read_to_string()
            .expect("read the answer");
        serde_json::from_str(&body).expect("Prometheus answers JSON")
    }

    /// Returns the server's log, for failure messages.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self._storage.path().join("prometheus.log")).unwrap_or_default()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
