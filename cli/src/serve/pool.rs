//! The function's execution environments: one process each, with a Runtime API of its own, as
//! Lambda runs them; started when a request finds none idle, up to the concurrency, and dropped
//! when their process exits or their invocation runs out of time.

use crate::runtime_api::{Invocation, Outcome, RuntimeApi};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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

/// One execution environment.
pub(crate) struct Environment {
    /// Its number, from 1, in the order they were started.
    pub(crate) number: usize,
    api: RuntimeApi,
    child: Child,
}

/// How an invocation ended.
pub(crate) enum Ended {
    /// The function began to post this, before `deadline`, by which its body must end too.
    Posted(Outcome, tokio::time::Instant),
    /// The time ran out first, `after` the invocation was handed out (or the front door's
    /// integration timeout, whichever was shorter).
    TimedOut,
    /// The function's process exited first, with this status.
    Exited(String),
}

impl Environment {
    async fn start(number: usize, launch: &Launch) -> std::io::Result<Environment> {
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
        // A group of its own, so that the whole of it is stopped (`cargo run` and the binary it
        // starts): see `Drop`.
        #[cfg(unix)]
        command.process_group(0);
        let child = command
            .spawn()
            .map_err(|error| std::io::Error::other(format!("cannot start {program}: {error}")))?;
        Ok(Environment { number, api, child })
    }

    /// Hands `invocation` to the function and waits for its answer, for `limit` from when the
    /// function takes it (its start-up, a build by `cargo run` included, is not counted).
    pub(crate) async fn invoke(&mut self, invocation: Invocation, limit: Duration) -> Ended {
        let (taken, outcome) = self.api.invoke_handed(invocation);
        let answered = async {
            if !taken.await {
                return Err(());
            }
            let deadline = tokio::time::Instant::now() + limit;
            match tokio::time::timeout_at(deadline, outcome).await {
                Ok(Some(outcome)) => Ok(Some((outcome, deadline))),
                Ok(None) => Err(()),
                Err(_) => Ok(None),
            }
        };
        tokio::select! {
            // An answer posted as the process exits is the answer.
            biased;
            answered = answered => match answered {
                Ok(Some((outcome, deadline))) => Ended::Posted(outcome, deadline),
                Ok(None) => Ended::TimedOut,
                Err(()) => Ended::Exited("the Runtime API stopped".to_owned()),
            },
            status = self.child.wait() => Ended::Exited(match status {
                Ok(status) => status.to_string(),
                Err(error) => error.to_string(),
            }),
        }
    }

    /// Whether its process is still running.
    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
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
        if let Some(pid) = self.child.id().and_then(|pid| i32::try_from(pid).ok()) {
            // SAFETY: `kill` has no memory effects; a group that is gone already gives ESRCH.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
}

/// The environments, and the bound on how many run at once.
pub(crate) struct Pool {
    launch: Launch,
    idle: Mutex<Vec<Environment>>,
    slots: Arc<Semaphore>,
    started: Mutex<usize>,
}

/// An environment checked out for one invocation, and its slot.
pub(crate) struct Lease {
    pub(crate) environment: Environment,
    _slot: OwnedSemaphorePermit,
}

impl Pool {
    pub(crate) fn new(launch: Launch, concurrency: usize) -> Pool {
        Pool {
            launch,
            idle: Mutex::new(Vec::new()),
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            started: Mutex::new(0),
        }
    }

    /// An idle environment, or a new one; waits while `concurrency` are busy.
    pub(crate) async fn lease(&self) -> std::io::Result<Lease> {
        let slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(std::io::Error::other)?;
        // An idle environment whose process has exited since is not served again.
        let idle = loop {
            let next = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            match next {
                Some(mut environment) => {
                    if environment.alive() {
                        break Some(environment);
                    }
                }
                None => break None,
            }
        };
        let environment = match idle {
            Some(environment) => environment,
            None => {
                let number = {
                    let mut started = self.started.lock().unwrap_or_else(|e| e.into_inner());
                    *started += 1;
                    *started
                };
                Environment::start(number, &self.launch).await?
            }
        };
        Ok(Lease {
            environment,
            _slot: slot,
        })
    }

    /// Gives back the environment of a finished invocation, to serve the next request (dropping
    /// a `Lease` instead stops its environment).
    pub(crate) fn release(&self, lease: Lease) {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(lease.environment);
    }
}
