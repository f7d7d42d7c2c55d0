//! The time a handler gets.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The largest plausible time to a Lambda deadline: the 15-minute maximum function timeout plus a
/// minute for clock differences. A deadline further away, or in the past, means "no deadline":
/// `Context::default()` has 0 and `cargo lambda watch` sends 600000 (a time in 1970).
const MAX_PLAUSIBLE_DEADLINE: Duration = Duration::from_secs(16 * 60);

/// The time an invocation gets from `now`, the moment it started: the smallest of the Lambda
/// deadline and the front door's `integration` timeout, each less `margin`, and the exit's own
/// `timeout`. `None` when none applies.
pub(crate) fn budget(
    deadline_ms: u64,
    integration: Option<Duration>,
    timeout: Option<Duration>,
    margin: Duration,
    now: SystemTime,
) -> Option<Duration> {
    let now_ms = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let lambda = Some(Duration::from_millis(deadline_ms.saturating_sub(now_ms)))
        .filter(|left| deadline_ms > now_ms && *left <= MAX_PLAUSIBLE_DEADLINE);
    [
        lambda.map(|d| d.saturating_sub(margin)),
        integration.map(|d| d.saturating_sub(margin)),
        timeout,
    ]
    .into_iter()
    .flatten()
    .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::DEFAULT_MARGIN;
    use crate::front_door::FrontDoor;

    fn door(front_door: FrontDoor) -> Option<Duration> {
        front_door.integration_timeout()
    }

    const T0: u64 = 1_700_000_000_000;

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    #[test]
    fn no_deadline_and_bogus_deadlines_mean_none() {
        let m = DEFAULT_MARGIN;
        assert_eq!(budget(0, None, None, m, at(T0)), None);
        assert_eq!(budget(600_000, None, None, m, at(T0)), None); // cargo lambda watch
        assert_eq!(budget(T0 - 1, None, None, m, at(T0)), None); // already past
        assert_eq!(budget(T0, None, None, m, at(T0)), None);
        assert_eq!(budget(T0 + 3_600_000, None, None, m, at(T0)), None); // an hour away
        assert_eq!(budget(u64::MAX, None, None, m, at(T0)), None);
    }

    #[test]
    fn the_smallest_limit_wins() {
        let m = Duration::from_millis(200);
        let ms = Duration::from_millis;
        assert_eq!(budget(T0 + 10_000, None, None, m, at(T0)), Some(ms(9_800)));
        assert_eq!(
            budget(T0 + 60_000, door(FrontDoor::RestApi), None, m, at(T0)),
            Some(ms(28_800))
        );
        assert_eq!(
            budget(T0 + 60_000, door(FrontDoor::FunctionUrl), None, m, at(T0)),
            Some(ms(59_800))
        );
        assert_eq!(
            budget(
                T0 + 60_000,
                door(FrontDoor::HttpApiV2),
                Some(ms(5_000)),
                m,
                at(T0)
            ),
            Some(ms(5_000))
        );
        assert_eq!(
            budget(0, door(FrontDoor::HttpApiV2), None, m, at(T0)),
            Some(ms(29_800))
        );
        assert_eq!(budget(0, door(FrontDoor::Alb), None, m, at(T0)), None);
        // A margin larger than what is left saturates at zero.
        assert_eq!(budget(T0 + 100, None, None, m, at(T0)), Some(ms(0)));
        // A clock before 1970 does not underflow.
        assert_eq!(budget(T0, None, None, m, UNIX_EPOCH - ms(5)), None);
    }
}
