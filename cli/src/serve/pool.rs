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
    /// The function posted this.
    Posted(Outcome),
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
        let child = Command::new(program)
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
            .kill_on_drop(true)
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
                return None;
            }
            tokio::time::timeout(limit, outcome).await.ok()
        };
        tokio::select! {
            answered = answered => match answered {
                Some(Some(outcome)) => Ended::Posted(outcome),
                Some(None) => Ended::Exited("the Runtime API stopped".to_owned()),
                None => Ended::TimedOut,
            },
            status = self.child.wait() => Ended::Exited(match status {
                Ok(status) => status.to_string(),
                Err(error) => error.to_string(),
            }),
        }
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
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
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

    /// Gives an environment that answered back, to serve the next request.
    pub(crate) fn release(&self, lease: Lease) {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(lease.environment);
    }
}
