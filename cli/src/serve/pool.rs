//! The function's execution environments, as Lambda runs them: one process each with a Runtime
//! API of its own, started when a request finds none idle, up to the concurrency, and stopped when
//! their process exits or their invocation runs out of time; or, for Lambda Managed Instances,
//! one process serving up to `AWS_LAMBDA_MAX_CONCURRENCY` invocations at once.

use crate::runtime_api::{Invocation, Outcome, RuntimeApi};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::process::Command;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

/// What started the environments.
#[derive(Clone, Debug)]
pub(crate) struct Launch {
    /// The command and its arguments.
    pub(crate) command: Vec<String>,
    /// `AWS_LAMBDA_FUNCTION_NAME`.
    pub(crate) function_name: String,
    /// `AWS_LAMBDA_FUNCTION_TIMEOUT`, in seconds, for runtimes that read it.
    pub(crate) timeout: Duration,
}

/// How the environments serve invocations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Up to this many environments, one invocation at a time each.
    Environments(usize),
    /// One environment, this many invocations at once (`AWS_LAMBDA_MAX_CONCURRENCY`).
    ManagedInstance(usize),
}

/// One execution environment: its process, and its Runtime API.
pub(crate) struct Environment {
    /// Its number, from 1, in the order they were started.
    pub(crate) number: usize,
    api: RuntimeApi,
    /// The process's id, which is its process group's.
    pid: Option<u32>,
    /// The process's exit status, once it has exited.
    exited: watch::Receiver<Option<String>>,
}

/// How an invocation ended.
pub(crate) enum Ended {
    /// The function began to post this, before `deadline`, by which its body must end too.
    Posted(Outcome, tokio::time::Instant),
    /// The time ran out first (the function's, or the front door's integration timeout,
    /// whichever was shorter).
    TimedOut,
    /// The function's process exited first, with this status.
    Exited(String),
    /// The process had exited before it took the invocation (it ended after its last answer):
    /// another environment can serve it.
    Gone(String),
}

impl Environment {
    async fn start(
        number: usize,
        launch: &Launch,
        max_concurrency: Option<usize>,
    ) -> std::io::Result<Environment> {
        let api = RuntimeApi::start().await?;
        let (program, args) = launch
            .command
            .split_first()
            .ok_or_else(|| std::io::Error::other("no command to run"))?;
        let mut command = Command::new(program);
        command
            .args(args)
            .envs(api.environment(&launch.function_name))
            .env(
                "AWS_LAMBDA_FUNCTION_TIMEOUT",
                launch.timeout.as_secs().max(1).to_string(),
            )
            .env(
                "AWS_LAMBDA_LOG_STREAM_NAME",
                format!("environment-{number}"),
            )
            .env(
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/{}", launch.function_name),
            )
            .stdin(Stdio::null())
            .kill_on_drop(true);
        if let Some(max) = max_concurrency {
            command.env("AWS_LAMBDA_MAX_CONCURRENCY", max.to_string());
        }
        // A group of its own, so that the whole of it is stopped (`cargo run` and the binary it
        // starts): see `Drop`.
        #[cfg(unix)]
        command.process_group(0);
        let mut child = command
            .spawn()
            .map_err(|error| std::io::Error::other(format!("cannot start {program}: {error}")))?;
        let pid = child.id();
        let (exit, exited) = watch::channel(None);
        tokio::spawn(async move {
            let status = match child.wait().await {
                Ok(status) => status.to_string(),
                Err(error) => error.to_string(),
            };
            let _ = exit.send(Some(status));
        });
        Ok(Environment {
            number,
            api,
            pid,
            exited,
        })
    }

    /// Hands `invocation` to the function and waits for its answer, for `limit` from when the
    /// function takes it (its start-up, a build by `cargo run` included, is not counted).
    pub(crate) async fn invoke(&self, invocation: Invocation, limit: Duration) -> Ended {
        let (taken, outcome) = self.api.invoke_handed(invocation);
        let took = std::sync::atomic::AtomicBool::new(false);
        let answered = async {
            if !taken.await {
                return Err(());
            }
            took.store(true, Ordering::Relaxed);
            let deadline = tokio::time::Instant::now() + limit;
            match tokio::time::timeout_at(deadline, outcome).await {
                Ok(Some(outcome)) => Ok(Some((outcome, deadline))),
                Ok(None) => Err(()),
                Err(_) => Ok(None),
            }
        };
        let mut exited = self.exited.clone();
        tokio::select! {
            // An answer posted as the process exits is the answer.
            biased;
            answered = answered => match answered {
                Ok(Some((outcome, deadline))) => Ended::Posted(outcome, deadline),
                Ok(None) => Ended::TimedOut,
                Err(()) => Ended::Exited("the Runtime API stopped".to_owned()),
            },
            status = exited.wait_for(Option::is_some) => {
                let status = match status {
                    Ok(status) => status.clone().unwrap_or_default(),
                    Err(_) => "unknown".to_owned(),
                };
                match took.load(Ordering::Relaxed) {
                    true => Ended::Exited(status),
                    false => Ended::Gone(status),
                }
            }
        }
    }

    /// Whether its process is still running.
    fn alive(&self) -> bool {
        self.exited.borrow().is_none()
    }

    /// What the runtime posted to `init/error`, if anything: why a process exited at start.
    pub(crate) fn init_error(&self) -> Option<String> {
        self.api.runtime_errors().last().map(|error| {
            format!(
                "{}: {}",
                error.error_type.as_deref().unwrap_or("Runtime.Unknown"),
                String::from_utf8_lossy(&error.body)
            )
        })
    }
}

/// Stops the environment's whole process group: the command and whatever it started.
#[cfg(unix)]
impl Drop for Environment {
    fn drop(&mut self) {
        if let Some(pid) = self.pid.and_then(|pid| i32::try_from(pid).ok()) {
            // SAFETY: `kill` has no memory effects; a group that is gone already gives ESRCH.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
}

/// The environments, and the bound on how many invocations run at once.
pub(crate) struct Pool {
    launch: Launch,
    shape: Shape,
    /// Environments waiting for an invocation; for a managed instance, its one environment.
    idle: Mutex<Vec<Arc<Environment>>>,
    slots: Arc<Semaphore>,
    started: AtomicUsize,
    /// Held while a managed instance's one environment is looked for or started, so that
    /// requests arriving together start one.
    starting: tokio::sync::Mutex<()>,
}

/// An environment checked out for one invocation, and its slot. Dropped without
/// [`Pool::release`] (the invocation ran out of time, or its answer was cut off), the environment
/// is stopped; a managed instance's is not, as it serves other invocations at the same time.
pub(crate) struct Lease {
    pub(crate) environment: Arc<Environment>,
    _slot: OwnedSemaphorePermit,
}

impl Pool {
    pub(crate) fn new(launch: Launch, shape: Shape) -> Pool {
        let slots = match shape {
            Shape::Environments(n) | Shape::ManagedInstance(n) => n.max(1),
        };
        Pool {
            launch,
            shape,
            idle: Mutex::new(Vec::new()),
            slots: Arc::new(Semaphore::new(slots)),
            started: AtomicUsize::new(0),
            starting: tokio::sync::Mutex::new(()),
        }
    }

    /// An environment for one invocation: an idle one, or a new one; waits while the most
    /// invocations that may run at once are running.
    pub(crate) async fn lease(&self) -> std::io::Result<Lease> {
        let slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(std::io::Error::other)?;
        let shared = matches!(self.shape, Shape::ManagedInstance(_));
        let _starting = match shared {
            true => Some(self.starting.lock().await),
            false => None,
        };
        // An environment whose process has exited since is not served again.
        let found = {
            let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
            idle.retain(|environment| environment.alive());
            if shared {
                idle.first().cloned()
            } else {
                idle.pop()
            }
        };
        let environment = match found {
            Some(environment) => environment,
            None => {
                let number = self.started.fetch_add(1, Ordering::Relaxed) + 1;
                let max = match self.shape {
                    Shape::ManagedInstance(n) => Some(n),
                    Shape::Environments(_) => None,
                };
                let environment = Arc::new(Environment::start(number, &self.launch, max).await?);
                if shared {
                    self.idle
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(environment.clone());
                }
                environment
            }
        };
        Ok(Lease {
            environment,
            _slot: slot,
        })
    }

    /// Gives back the environment of a finished invocation, to serve the next request.
    pub(crate) fn release(&self, lease: Lease) {
        if let Shape::Environments(_) = self.shape {
            self.idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(lease.environment);
        }
    }
}
