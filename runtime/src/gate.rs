//! What generated code expands only under a feature of this crate: the features of the crate
//! that uses the macro are not this crate's, so the generated code asks this crate, through
//! these macros (`__private::if_openapi!`, `__private::if_validate!`), which expand to their
//! input when the feature is on and to nothing otherwise.

#[cfg(feature = "openapi")]
#[doc(hidden)]
#[macro_export]
macro_rules! __proxy_if_openapi {
    ($($tokens:tt)*) => { $($tokens)* };
}

#[cfg(not(feature = "openapi"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __proxy_if_openapi {
    ($($tokens:tt)*) => {};
}

#[cfg(feature = "validate")]
#[doc(hidden)]
#[macro_export]
macro_rules! __proxy_if_validate {
    ($($tokens:tt)*) => { $($tokens)* };
}

#[cfg(not(feature = "validate"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __proxy_if_validate {
    ($($tokens:tt)*) => {};
}
