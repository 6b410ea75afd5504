//! Runs user code (collectors, health checks) on a worker thread with a time budget, so that a
//! call that panics or hangs cannot take the caller down or block it.
//!
//! A [`Runner`] owns one long-lived worker thread. A batch of jobs is queued on it at once and
//! the caller waits for each result with a deadline: the normal case costs one wake-up of the
//! worker and one channel message per job, with no thread spawned. When a job runs past its
//! budget the caller stops waiting, abandons the worker (it is stuck in that job), starts a
//! fresh one for the rest of the batch, and reports the job as timed out. An abandoned worker
//! ends on its own if the job ever returns. At most [`MAX_STUCK_WORKERS`] abandoned workers may
//! be stuck at once; past that, jobs are reported as not run rather than spawning more threads.
//!
//! Every job is claimed by exactly one worker before it runs, so a job queued on an abandoned
//! worker never runs a second time on its replacement.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Maximum number of abandoned worker threads that may be stuck in hung jobs at once.
pub const MAX_STUCK_WORKERS: usize = 8;

/// Time budget of a collector or health check that sets none, until [`set_time_budget`]
/// changes it.
pub const DEFAULT_TIME_BUDGET: Duration = Duration::from_millis(250);

static TIME_BUDGET_US: AtomicU64 = AtomicU64::new(DEFAULT_TIME_BUDGET.as_micros() as u64);
static STUCK_WORKERS: AtomicUsize = AtomicUsize::new(0);
static NEXT_WORKER_ID: AtomicUsize = AtomicUsize::new(1);

/// Sets the process-wide time budget of one `collect`, `tick` or health check, for those that
/// set none of their own. A call that takes longer is abandoned and its collector disabled.
pub fn set_time_budget(budget: Duration) {
    let micros = budget.as_micros().clamp(1, u128::from(u64::MAX)) as u64;
    TIME_BUDGET_US.store(micros, Ordering::Relaxed);
}

/// Returns the process-wide time budget of one `collect`, `tick` or health check.
pub fn time_budget() -> Duration {
    Duration::from_micros(TIME_BUDGET_US.load(Ordering::Relaxed))
}

/// Returns the number of worker threads abandoned in a hung collector or health check that
/// have not returned yet.
pub fn stuck_workers() -> usize {
    STUCK_WORKERS.load(Ordering::Relaxed)
}

/// Marks a job as running, so that one stuck in a hung call is not started a second time
/// (which would abandon one more thread each time).
#[derive(Debug, Default)]
pub(crate) struct InFlight(AtomicBool);

/// Clears its [`InFlight`] flag when the job ends, whether it returned or panicked.
#[derive(Debug)]
pub(crate) struct InFlightGuard<'a>(&'a AtomicBool);

/// The result of one job of a batch.
#[derive(Debug)]
pub(crate) enum Outcome<T> {
    /// The job returned this value after this long.
    Done(T, Duration),
    /// The job panicked with this message.
    Panicked(String),
    /// The job was still running when its budget, given here, ran out.
    TimedOut(Duration),
    /// The job was never started, for this reason.
    NotRun(String),
}

/// A worker thread that runs batches of jobs, one batch at a time.
#[derive(Debug)]
pub(crate) struct Runner {
    label: &'static str,
    worker: Mutex<Option<Worker>>,
}

#[derive(Debug)]
struct Worker {
    id: usize,
    tasks: Sender<Task>,
    abandoned: Arc<AtomicBool>,
}

type Task = Box<dyn FnOnce(usize) + Send>;

const UNCLAIMED: usize = 0;
const CANCELLED: usize = usize::MAX;

/// The jobs of one batch, shared by the caller and the workers that run them.
struct Batch<J, F> {
    jobs: Vec<J>,
    call: F,
    /// For each job, `UNCLAIMED`, `CANCELLED` or the id of the worker that took it.
    claims: Vec<AtomicUsize>,
}

type Report<T> = (usize, Result<T, String>, Duration);

impl Runner {
    /// Creates a runner whose worker threads are named after `label`.
    pub(crate) const fn new(label: &'static str) -> Self {
        Runner { label, worker: Mutex::new(None) }
    }

    /// Runs `call` on each job in order, on the worker thread, and returns one outcome per job.
    /// `budgets[i]` is the time job `i` may take.
    ///
    /// `settle` receives each outcome as soon as it is known, before the next batch can start, so
    /// that a job that failed can be marked before anyone runs it again.
    pub(crate) fn run_all<J, T, F, S>(&self, jobs: Vec<J>, budgets: &[Duration], call: F, settle: S) -> Vec<Outcome<T>>
    where
        J: Send + Sync + 'static,
        T: Send + 'static,
        F: Fn(&J) -> T + Send + Sync + 'static,
        S: FnMut(&J, &Outcome<T>),
    {
        assert_eq!(jobs.len(), budgets.len(), "one budget per job");
        if jobs.is_empty() {
            return Vec::new();
        }

        let count = jobs.len();
        let claims = (0..count).map(|_| AtomicUsize::new(UNCLAIMED)).collect();
        let (reports, results) = mpsc::channel::<Report<T>>();
        let mut run = BatchRun {
            runner: self,
            slot: self.worker.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
            batch: Arc::new(Batch { jobs, call, claims }),
            reports,
            outcomes: (0..count).map(|_| None).collect(),
            settle,
        };

        let mut current = run.dispatch_from(0);
        let mut next = 0;
        let mut started = Instant::now();
        while next < count {
            if run.outcomes[next].is_some() {
                next += 1;
                started = Instant::now();
                continue;
            }

            let wait = (started + budgets[next]).saturating_duration_since(Instant::now());
            match results.recv_timeout(wait) {
                Ok((index, Ok(value), elapsed)) => run.record(index, Outcome::Done(value, elapsed)),
                Ok((index, Err(message), _)) => run.record(index, Outcome::Panicked(message)),
                Err(RecvTimeoutError::Timeout) => match run.cancel(next) {
                    Ok(()) => {
                        let reason = format!(
                            "the {} worker did not start it within its budget of {:?}",
                            self.label, budgets[next]
                        );
                        run.record(next, Outcome::NotRun(reason));
                    }
                    Err(worker) => {
                        run.record(next, Outcome::TimedOut(budgets[next]));
                        if worker == current {
                            self.abandon(&mut run.slot);
                            current = run.dispatch_from(next + 1);
                        }
                    }
                },
                Err(RecvTimeoutError::Disconnected) => unreachable!("the batch keeps a sender"),
            }
        }

        run.outcomes.into_iter().map(|outcome| outcome.expect("every job has an outcome")).collect()
    }

    fn spawn(&self) -> Result<Worker, String> {
        let stuck = STUCK_WORKERS.load(Ordering::Acquire);
        if stuck >= MAX_STUCK_WORKERS {
            return Err(format!(
                "{stuck} {} worker threads are stuck in hung calls, the maximum; no new worker is started \
                 until one returns",
                self.label
            ));
        }

        let id = NEXT_WORKER_ID.fetch_add(1, Ordering::Relaxed);
        let (tasks, queue) = mpsc::channel::<Task>();
        let abandoned = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&abandoned);
        let spawned = std::thread::Builder::new()
            .name(format!("perf-{}-{id}", self.label))
            .spawn(move || work(id, &queue, &flag));
        match spawned {
            Ok(_) => Ok(Worker { id, tasks, abandoned }),
            Err(error) => Err(format!("failed to start a {} worker thread: {error}", self.label)),
        }
    }

    fn abandon(&self, slot: &mut Option<Worker>) {
        let Some(worker) = slot.take() else {
            return;
        };
        STUCK_WORKERS.fetch_add(1, Ordering::AcqRel);
        worker.abandoned.store(true, Ordering::Release);
        tracing::warn!(
            worker = %format!("perf-{}-{}", self.label, worker.id),
            stuck = STUCK_WORKERS.load(Ordering::Relaxed),
            "perf abandoned a worker thread stuck in a call past its time budget",
        );
    }
}

impl InFlight {
    pub(crate) const fn new() -> Self {
        InFlight(AtomicBool::new(false))
    }

    /// Returns `true` while a call started with [`InFlight::enter`] has not ended.
    pub(crate) fn is_running(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    /// Marks the job as running until the returned guard is dropped.
    pub(crate) fn enter(&self) -> InFlightGuard<'_> {
        self.0.store(true, Ordering::Release);
        InFlightGuard(&self.0)
    }
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// The state of one call of [`Runner::run_all`], including the lock on the runner's worker slot.
struct BatchRun<'a, J, T, F, S> {
    runner: &'a Runner,
    slot: MutexGuard<'a, Option<Worker>>,
    batch: Arc<Batch<J, F>>,
    reports: Sender<Report<T>>,
    outcomes: Vec<Option<Outcome<T>>>,
    settle: S,
}

impl<J, T, F, S> BatchRun<'_, J, T, F, S>
where
    J: Send + Sync + 'static,
    T: Send + 'static,
    F: Fn(&J) -> T + Send + Sync + 'static,
    S: FnMut(&J, &Outcome<T>),
{
    /// Queues jobs `from..` on the worker, starting one if needed, and returns its id. Without
    /// a worker, the jobs no abandoned worker took are recorded as not run, and 0 is returned.
    fn dispatch_from(&mut self, from: usize) -> usize {
        let reason = match self.queue(from) {
            Ok(worker) => return worker,
            Err(reason) => reason,
        };
        for index in from..self.batch.jobs.len() {
            if self.cancel(index).is_ok() {
                self.record(index, Outcome::NotRun(reason.clone()));
            }
        }
        0
    }

    fn queue(&mut self, from: usize) -> Result<usize, String> {
        for _ in 0..2 {
            let worker = match &mut *self.slot {
                Some(worker) => worker,
                None => self.slot.insert(self.runner.spawn()?),
            };

            let count = self.batch.jobs.len();
            let queued = (from..count).all(|index| worker.tasks.send(task(&self.batch, &self.reports, index)).is_ok());
            if queued {
                return Ok(worker.id);
            }
            // The worker thread has ended, which only a panic outside the jobs' own
            // `catch_unwind` could cause. Start another one.
            *self.slot = None;
        }
        Err(format!("the {} worker thread stopped accepting jobs", self.runner.label))
    }

    /// Marks job `index` so that no worker starts it, or returns the worker that already did.
    fn cancel(&self, index: usize) -> Result<(), usize> {
        let claim = &self.batch.claims[index];
        claim.compare_exchange(UNCLAIMED, CANCELLED, Ordering::AcqRel, Ordering::Acquire).map(|_| ())
    }

    fn record(&mut self, index: usize, outcome: Outcome<T>) {
        (self.settle)(&self.batch.jobs[index], &outcome);
        self.outcomes[index] = Some(outcome);
    }
}

fn task<J, T, F>(batch: &Arc<Batch<J, F>>, reports: &Sender<Report<T>>, index: usize) -> Task
where
    J: Send + Sync + 'static,
    T: Send + 'static,
    F: Fn(&J) -> T + Send + Sync + 'static,
{
    let batch = Arc::clone(batch);
    let reports = reports.clone();
    Box::new(move |worker_id| {
        let claimed = batch.claims[index].compare_exchange(UNCLAIMED, worker_id, Ordering::AcqRel, Ordering::Acquire);
        if claimed.is_err() {
            return;
        }

        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| (batch.call)(&batch.jobs[index])));
        let elapsed = started.elapsed();
        // The caller may have stopped waiting (the job timed out); nothing is left to do then.
        let _ = reports.send((index, result.map_err(|panic| panic_message(&*panic)), elapsed));
    })
}

fn work(id: usize, queue: &Receiver<Task>, abandoned: &AtomicBool) {
    while let Ok(task) = queue.recv() {
        if abandoned.load(Ordering::Acquire) {
            break;
        }
        task(id);
    }

    if abandoned.load(Ordering::Acquire) {
        STUCK_WORKERS.fetch_sub(1, Ordering::AcqRel);
        tracing::info!(worker = id, "an abandoned perf worker thread returned from its hung call and ended");
    }
}

/// Returns the message of a panic payload: the `&str` or `String` given to `panic!`.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        return (*text).to_owned();
    }
    if let Some(text) = panic.downcast_ref::<String>() {
        return text.clone();
    }
    "non-string panic payload".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budgets(count: usize, each: Duration) -> Vec<Duration> {
        vec![each; count]
    }

    #[test]
    fn runner_returns_values_in_order() {
        let runner = Runner::new("test");
        let outcomes = runner.run_all(vec![1u32, 2, 3], &budgets(3, Duration::from_secs(5)), |job| job * 10, |_, _| {});
        let values: Vec<u32> = outcomes
            .into_iter()
            .map(|outcome| match outcome {
                Outcome::Done(value, _) => value,
                other => panic!("expected a value, got {other:?}"),
            })
            .collect();
        assert_eq!(values, [10, 20, 30]);
    }

    #[test]
    fn runner_reports_panic_and_runs_the_rest() {
        let runner = Runner::new("test");
        let call = |job: &u32| {
            assert!(*job != 0, "job zero fails");
            *job
        };
        let outcomes = runner.run_all(vec![1u32, 0, 3], &budgets(3, Duration::from_secs(5)), call, |_, _| {});
        assert!(matches!(outcomes[0], Outcome::Done(1, _)));
        assert!(matches!(&outcomes[1], Outcome::Panicked(message) if message == "job zero fails"));
        assert!(matches!(outcomes[2], Outcome::Done(3, _)));
    }

    #[test]
    fn runner_abandons_hung_job_and_runs_the_rest() {
        let runner = Runner::new("test");
        let release = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&release);
        let started = Instant::now();
        let call = move |job: &u32| {
            while *job == 2 && !flag.load(Ordering::Acquire) {
                std::thread::sleep(Duration::from_millis(5));
            }
            *job
        };
        let mut timed_out = Vec::new();
        let settle = |job: &u32, outcome: &Outcome<u32>| {
            if matches!(outcome, Outcome::TimedOut(_)) {
                timed_out.push(*job);
            }
        };
        let outcomes = runner.run_all(vec![1u32, 2, 3], &budgets(3, Duration::from_millis(50)), call, settle);
        assert!(started.elapsed() < Duration::from_secs(5), "the batch waited {:?}", started.elapsed());
        assert!(matches!(outcomes[0], Outcome::Done(1, _)));
        assert!(matches!(outcomes[1], Outcome::TimedOut(budget) if budget == Duration::from_millis(50)));
        assert!(matches!(outcomes[2], Outcome::Done(3, _)));
        assert_eq!(timed_out, [2]);
        release.store(true, Ordering::Release);
    }
}
