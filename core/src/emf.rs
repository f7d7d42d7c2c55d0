//! The CloudWatch embedded metric format (EMF), as its specification and CloudWatch define it:
//! the units a metric may have and the limits a document keeps. The runtime's metrics write
//! documents within them; the checker (`lambda-proxy emf`) holds any document to them.

use std::fmt;

/// At most this many metrics in one document (the specification's limit).
pub const MAX_METRICS: usize = 100;
/// At most this many values of one metric in one document (the specification's limit).
pub const MAX_VALUES: usize = 100;
/// At most this many dimensions in one dimension set (the specification's limit).
pub const MAX_DIMENSIONS: usize = 30;
/// The longest dimension name (the specification's schema).
pub const MAX_DIMENSION_NAME: usize = 250;
/// The longest dimension value (the specification's limit).
pub const MAX_DIMENSION_VALUE: usize = 1024;
/// The longest metric name: CloudWatch's (the specification's schema allows 1,024).
pub const MAX_NAME: usize = 255;
/// The longest namespace: CloudWatch's (the specification's schema allows 1,024).
pub const MAX_NAMESPACE: usize = 255;
/// The largest magnitude of a metric's value CloudWatch takes: 2^360.
pub const MAX_MAGNITUDE: f64 = 2.348_542_582_773_833_2e108;

/// A unit of CloudWatch metrics, as the embedded metric format spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // the names are CloudWatch's
pub enum Unit {
    Seconds,
    Microseconds,
    Milliseconds,
    Bytes,
    Kilobytes,
    Megabytes,
    Gigabytes,
    Terabytes,
    Bits,
    Kilobits,
    Megabits,
    Gigabits,
    Terabits,
    Percent,
    Count,
    BytesPerSecond,
    KilobytesPerSecond,
    MegabytesPerSecond,
    GigabytesPerSecond,
    TerabytesPerSecond,
    BitsPerSecond,
    KilobitsPerSecond,
    MegabitsPerSecond,
    GigabitsPerSecond,
    TerabitsPerSecond,
    CountPerSecond,
    None,
}

impl Unit {
    /// The unit as the embedded metric format spells it (`Bytes/Second`).
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Seconds => "Seconds",
            Unit::Microseconds => "Microseconds",
            Unit::Milliseconds => "Milliseconds",
            Unit::Bytes => "Bytes",
            Unit::Kilobytes => "Kilobytes",
            Unit::Megabytes => "Megabytes",
            Unit::Gigabytes => "Gigabytes",
            Unit::Terabytes => "Terabytes",
            Unit::Bits => "Bits",
            Unit::Kilobits => "Kilobits",
            Unit::Megabits => "Megabits",
            Unit::Gigabits => "Gigabits",
            Unit::Terabits => "Terabits",
            Unit::Percent => "Percent",
            Unit::Count => "Count",
            Unit::BytesPerSecond => "Bytes/Second",
            Unit::KilobytesPerSecond => "Kilobytes/Second",
            Unit::MegabytesPerSecond => "Megabytes/Second",
            Unit::GigabytesPerSecond => "Gigabytes/Second",
            Unit::TerabytesPerSecond => "Terabytes/Second",
            Unit::BitsPerSecond => "Bits/Second",
            Unit::KilobitsPerSecond => "Kilobits/Second",
            Unit::MegabitsPerSecond => "Megabits/Second",
            Unit::GigabitsPerSecond => "Gigabits/Second",
            Unit::TerabitsPerSecond => "Terabits/Second",
            Unit::CountPerSecond => "Count/Second",
            Unit::None => "None",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Unit {
    /// Every unit, in the specification's order.
    pub const ALL: &'static [Unit] = &[
        Unit::Seconds,
        Unit::Microseconds,
        Unit::Milliseconds,
        Unit::Bytes,
        Unit::Kilobytes,
        Unit::Megabytes,
        Unit::Gigabytes,
        Unit::Terabytes,
        Unit::Bits,
        Unit::Kilobits,
        Unit::Megabits,
        Unit::Gigabits,
        Unit::Terabits,
        Unit::Percent,
        Unit::Count,
        Unit::BytesPerSecond,
        Unit::KilobytesPerSecond,
        Unit::MegabytesPerSecond,
        Unit::GigabytesPerSecond,
        Unit::TerabytesPerSecond,
        Unit::BitsPerSecond,
        Unit::KilobitsPerSecond,
        Unit::MegabitsPerSecond,
        Unit::GigabitsPerSecond,
        Unit::TerabitsPerSecond,
        Unit::CountPerSecond,
        Unit::None,
    ];

    /// The unit spelled `name` (`Bytes/Second`), `None` for a name the format does not have.
    pub fn from_name(name: &str) -> Option<Unit> {
        Unit::ALL.iter().copied().find(|unit| unit.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_magnitude_is_two_to_the_360th() {
        assert_eq!(MAX_MAGNITUDE, 2f64.powi(360));
    }

    #[test]
    fn every_unit_is_spelled_once_and_read_back() {
        for &unit in Unit::ALL {
            assert_eq!(Unit::from_name(unit.as_str()), Some(unit));
        }
        let mut names: Vec<&str> = Unit::ALL.iter().map(|u| u.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 27);
        assert_eq!(Unit::from_name("Nanoseconds"), None);
    }
}
