//! Integration and compile tests for lambda-proxy live in `tests/`.
